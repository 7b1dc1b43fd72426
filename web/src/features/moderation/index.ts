export { ModerationPage } from './ModerationPage';
export { VerificationPage } from './VerificationPage';
