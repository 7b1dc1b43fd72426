export { CompanyUsagePage } from './CompanyUsagePage';
