export { SignInPage } from './SignInPage';
export { RegisterPage } from './RegisterPage';
export { VerifyEmailPage } from './VerifyEmailPage';
export { ForgotPasswordPage, ResetPasswordPage } from './PasswordPages';
