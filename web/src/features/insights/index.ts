export { ClientInsightsPage, InsightsPage } from './InsightsPage';
