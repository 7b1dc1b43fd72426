export * from './errors.js';
export * from './roles.js';
export * from './api/index.js';
export * from './events/index.js';
export * from './changes/index.js';
export * from './socket/index.js';
export * from './collections/index.js';
export * from './replication/index.js';
