import type { Session } from '@therapy-field/media';
import type { VideoJoinResponse, VideoNotification, VideoPeer, VideoRole } from '@therapy-field/sync';

/** A party of the appointment as the room tracks them. */
export interface RoomPeer extends VideoPeer {
  /** The socket currently speaking for this user; absent while dropped or gone. */
  socketId?: string;
  admitted: boolean;
  /** Has a place in the current media session. */
  inMedia: boolean;
  dropTimer?: NodeJS.Timeout;
}

export interface VideoRoomEvents {
  /** The therapist let the client in (for the first time in this room). */
  admitted: void;
  /** Both parties are in the media session (for the first time, or again after it ended). */
  started: void;
  /** Nobody is left (all left, or dropped and did not come back in time): the room is closed. */
  ended: void;
}

/** Sends one notification to one socket. */
export type Notify = <Name extends VideoNotification['name']>(
  socketId: string,
  name: Name,
  data: Extract<VideoNotification, { name: Name }>['data'],
) => void;

/**
 * One appointment's call on this node: its two parties, the waiting room and the media session.
 * Closes itself when its last peer is gone.
 */
export interface VideoRoom {
  readonly appointmentId: string;
  readonly closed: boolean;
  /** Enters (or re-enters, from a new socket or after a failover) the call. */
  join(userId: string, socketId: string): Promise<VideoJoinResponse>;
  /** The therapist lets a waiting client in. */
  admit(byUserId: string, socketId: string, clientId: string): Promise<void>;
  /** The media session of an admitted peer speaking from `socketId`, or a VIDEO_NOT_JOINED / VIDEO_NOT_ADMITTED error. */
  mediaSession(userId: string, socketId: string): Session;
  /** Tell the other party about a new producer (after `video.produce`). */
  announceProducer(userId: string, producer: { id: string; kind: 'audio' | 'video'; paused: boolean }): void;
  /** Send the other party's producers to a peer that just got a receive transport. */
  announceExistingProducers(userId: string): void;
  leave(userId: string, socketId: string): void;
  /** A socket disconnected: its peer keeps its place for the rejoin grace period. */
  dropped(socketId: string): void;
  /** The media worker died: every peer must rebuild its media (`video.rejoin`). */
  mediaLost(): void;
  on<Name extends keyof VideoRoomEvents>(name: Name, listener: () => void): void;
  close(): void;
}

export type { VideoRole };
