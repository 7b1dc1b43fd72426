import type { Role } from '../roles.js';
import type { HubClientToServerEvents, HubServerToClientEvents } from './hub-events.js';
import type { SyncClientToServerEvents } from './sync-events.js';
import type { VideoClientToServerEvents, VideoServerToClientEvents } from './media-events.js';

/**
 * The Socket.IO contract, shared by the server and the SDK. Each capability declares its events
 * in its own file; these maps join them. Every client→server event takes a payload and an ack.
 */
export interface ClientToServerEvents extends HubClientToServerEvents, SyncClientToServerEvents, VideoClientToServerEvents {}

export interface ServerToClientEvents extends HubServerToClientEvents, VideoServerToClientEvents {}

/** Messages between server nodes (through the Redis adapter). */
export interface InterServerEvents {
  ping: () => void;
}

/** What the server knows about a connected socket, set at the handshake. */
export interface SocketData {
  userId: string;
  role: Role;
  /** When the access token the socket was opened with expires (ms since the epoch): the server disconnects it then. */
  sessionExpiresAt: number;
}

/**
 * The handshake's `auth` payload. A refused handshake's `connect_error` carries `data: { code, message }`.
 * When the server disconnects a socket (reason `io server disconnect`), the session it was opened
 * with has ended (the access token expired or the account's sessions were revoked): refresh the
 * token and connect again with `lastSeq`; if the refresh fails, the user must sign in again.
 */
export interface HandshakeAuth {
  /** The access JWT. */
  token: string;
  /** The last change seq this device has applied; the server replays what came after. */
  lastSeq?: number;
}
