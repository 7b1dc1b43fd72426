export { ConsentsPage } from './ConsentsPage';
