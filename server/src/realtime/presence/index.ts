export type { DeviceStatus, PresenceDevice, PresenceStore } from './presence-types.js';
export { MemoryPresenceStore } from './memory-presence-store.js';
export { RedisPresenceStore } from './redis-presence-store.js';
export { PresenceService } from './presence-service.js';
