export { RealtimeHub, type RealtimeHubOptions } from './realtime-hub.js';
export { handleEvent } from './handle-event.js';
export { userRoom, therapistScheduleRoom, businessRoom, appointmentRoom } from './rooms.js';
export type { ConnectionHandler, HubServer, HubSocket } from './hub-types.js';
