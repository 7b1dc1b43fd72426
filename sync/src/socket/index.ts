export type { Ack, AckResponse } from './ack.js';
export type { ClientToServerEvents, HandshakeAuth, InterServerEvents, ServerToClientEvents, SocketData } from './events.js';
export type {
  ChangeEvent,
  ChangesSinceRequest,
  ChangesSinceResponse,
  HubClientToServerEvents,
  HubServerToClientEvents,
  PresenceState,
  PresenceStatus,
  RoomRef,
  TypingEvent,
} from './hub-events.js';
export { recordCarryingEvents, type SyncClientToServerEvents } from './sync-events.js';
export type {
  MediaKind,
  MediaParameters,
  VideoClientToServerEvents,
  VideoConsumerInfo,
  VideoJoinResponse,
  VideoNotification,
  VideoPeer,
  VideoRequest,
  VideoRequestData,
  VideoRequestName,
  VideoResponse,
  VideoRole,
  VideoServerToClientEvents,
  VideoTransportInfo,
} from './media-events.js';
