export { ChangeFeed, type ChangeDeliverer, type ChangeFeedOptions } from './change-feed.js';
export type { SequencedChange } from './change-log.repository.js';
export { startChangeLogRetention } from './retention-job.js';
