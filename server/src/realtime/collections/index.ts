export { CollectionRegistry, loadForEachRecipient, requestPairs, byRecipient, type CollectionLoader, type LoadRequest, type LoadedRecords } from './collection-registry.js';
export { appointmentsLoader } from './appointments.collection.js';
