export { ClientFormsPage } from './ClientFormsPage';
export { FormsPage } from './FormsPage';
