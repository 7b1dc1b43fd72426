export { SupervisionPage } from './SupervisionPage';
