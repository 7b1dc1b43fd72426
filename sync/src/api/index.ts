export * from './common.js';
export * from './auth.js';
export * from './me.js';
export * from './notifications.js';
