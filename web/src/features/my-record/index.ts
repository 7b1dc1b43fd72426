export { MyRecordPage } from './MyRecordPage';
