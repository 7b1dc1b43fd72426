export { ClientHomePage } from './ClientHomePage';
