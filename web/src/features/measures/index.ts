export { MyMeasuresPage } from './MyMeasuresPage';
export { ClientMeasuresPage } from './ClientMeasuresPage';
