export { CollectionRegistry, type CollectionLoader } from './collection-registry.js';
export { appointmentsLoader } from './appointments.collection.js';
