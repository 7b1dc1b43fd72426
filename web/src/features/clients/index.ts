export { ClientListPage } from './ClientListPage';
export { ClientRecordPage } from './ClientRecordPage';
