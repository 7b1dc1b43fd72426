import type { MediaKind, VideoPeer, VideoRole } from '@therapy-field/sync';

export type CallState = 'waiting' | 'connecting' | 'connected' | 'reconnecting' | 'ended';

/** How the media path is doing, from the receive side's statistics. */
export interface ConnectionQuality {
  level: 'good' | 'fair' | 'poor';
  /** Packets lost in the last interval, in percent. */
  packetLossPercent: number;
  roundTripTimeMs?: number;
}

export interface CallStats {
  bytesReceived: number;
  bytesSent: number;
  packetsReceived: number;
  packetsLost: number;
  roundTripTimeMs?: number;
}

export interface VideoCallEvents {
  [name: string]: unknown;
  statechange: CallState;
  /** Therapist only: a client is in the waiting room; call `admit(userId)`. */
  waiting: VideoPeer;
  admitted: void;
  peerjoined: VideoPeer;
  peerleft: VideoPeer & { reason: 'left' | 'dropped' };
  /** A remote track was added to or removed from `remoteStream`. */
  remotetrack: { track: MediaStreamTrack; userId: string; added: boolean };
  /** The other party paused (muted) or resumed one of their tracks. */
  remotemute: { kind: MediaKind; muted: boolean };
  quality: ConnectionQuality;
  error: Error;
}

/** One appointment's call from this device. */
export interface VideoCall {
  readonly appointmentId: string;
  readonly role: VideoRole;
  readonly state: CallState;
  /** The camera and microphone of this device. */
  readonly localStream: MediaStream;
  /** The other party's audio and video (tracks come and go as they join, drop or rejoin). */
  readonly remoteStream: MediaStream;
  /** Therapist only: let a waiting client in. */
  admit(userId: string): Promise<void>;
  mute(kind: MediaKind): Promise<void>;
  unmute(kind: MediaKind): Promise<void>;
  isMuted(kind: MediaKind): boolean;
  /** Totals over the receive and send transports (WebRTC `inbound-rtp` / `outbound-rtp`). */
  getStats(): Promise<CallStats>;
  on<Name extends keyof VideoCallEvents>(name: Name, listener: (event: VideoCallEvents[Name]) => void): () => void;
  /** Leaves the call and stops the camera and microphone it opened (not a stream passed in). Idempotent. */
  leave(): Promise<void>;
}

export interface JoinOptions {
  /**
   * Use these tracks instead of asking for the camera and microphone.
   * @default getUserMedia({ audio: true, video: { width: 640, height: 480 } })
   */
  localStream?: MediaStream;
  /** How often connection quality is measured and reported. @default 2000 */
  qualityIntervalMs?: number;
}

export interface VideoClient {
  join(appointmentId: string, options?: JoinOptions): Promise<VideoCall>;
}
