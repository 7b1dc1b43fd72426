export * from './checkpoint.js';
export * from './pull.js';
export * from './push.js';
export * from './conflicts.js';
