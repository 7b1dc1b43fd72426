export * from './common.js';
export * from './auth.js';
export * from './me.js';
export * from './directory.js';
export * from './scheduling.js';
export * from './notifications.js';
export * from './business.js';
export * from './admin.js';
