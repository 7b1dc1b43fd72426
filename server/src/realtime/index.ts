export { RealtimeHub, type RealtimeHubOptions } from './realtime-hub.js';
export { SocketEvents } from './socket-events.js';
export { userRoom, accountRoom, therapistScheduleRoom, businessRoom, appointmentRoom, presenceRoom } from './rooms.js';
export { CollectionRegistry, loadForEachRecipient, requestPairs, byRecipient, type CollectionLoader, type LoadRequest, type LoadedRecords } from './collections/index.js';
export { MemoryPresenceStore, RedisPresenceStore, type PresenceStore, type DeviceStatus, type PresenceDevice } from './presence/index.js';
export type { SocketLimits } from './socket-limits.js';
export type { UserRequestQueue } from './user-request-queue.js';
export { payloadShapeViolation, type PayloadShapeLimits, type PayloadShapeViolation } from './payload-shape.js';
export type { HubServer, HubSocket } from './hub-types.js';
