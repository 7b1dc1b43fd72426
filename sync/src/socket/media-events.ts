import type { Ack } from './ack.js';

/**
 * mediasoup's parameter objects (RTP capabilities and parameters, ICE and DTLS parameters) travel as
 * JSON; mediasoup checks their shape on each side, so the contract keeps them opaque.
 */
export type MediaParameters = { [key: string]: unknown };

export type MediaKind = 'audio' | 'video';
export type VideoRole = 'therapist' | 'client';

export interface VideoPeer {
  userId: string;
  role: VideoRole;
}

export interface VideoJoinResponse {
  role: VideoRole;
  /** False while the client waits for the therapist to admit them. */
  admitted: boolean;
  /** Who else is in the session (admitted and connected). */
  peers: VideoPeer[];
  /** For the therapist: clients in the waiting room. */
  waiting: VideoPeer[];
}

export interface VideoTransportInfo {
  id: string;
  iceParameters: MediaParameters;
  iceCandidates: MediaParameters[];
  dtlsParameters: MediaParameters;
}

export interface VideoConsumerInfo {
  id: string;
  producerId: string;
  kind: MediaKind;
  rtpParameters: MediaParameters;
  userId: string;
  /** Always true: the client resumes the consumer once its track is attached. */
  paused: true;
  producerPaused: boolean;
}

type InSession<Data = object> = { appointmentId: string } & Data;

/**
 * Every video signalling request as one union: the handler and client types are derived from it.
 * Requests other than `video.join` need an admitted peer in the appointment's session.
 */
export type VideoRequest =
  | { name: 'video.join'; data: InSession; response: VideoJoinResponse }
  | { name: 'video.admit'; data: InSession<{ userId: string }>; response: Record<string, never> }
  | { name: 'video.routerCapabilities'; data: InSession; response: { rtpCapabilities: MediaParameters } }
  | { name: 'video.createTransport'; data: InSession<{ direction: 'send' | 'recv' }>; response: VideoTransportInfo }
  | { name: 'video.connectTransport'; data: InSession<{ transportId: string; dtlsParameters: MediaParameters }>; response: Record<string, never> }
  | { name: 'video.restartIce'; data: InSession<{ transportId: string }>; response: { iceParameters: MediaParameters } }
  | { name: 'video.produce'; data: InSession<{ transportId: string; kind: MediaKind; rtpParameters: MediaParameters }>; response: { producerId: string } }
  | { name: 'video.consume'; data: InSession<{ producerId: string; rtpCapabilities: MediaParameters }>; response: VideoConsumerInfo }
  | { name: 'video.resumeConsumer'; data: InSession<{ consumerId: string }>; response: Record<string, never> }
  | { name: 'video.pauseProducer'; data: InSession<{ producerId: string }>; response: Record<string, never> }
  | { name: 'video.resumeProducer'; data: InSession<{ producerId: string }>; response: Record<string, never> }
  | { name: 'video.closeProducer'; data: InSession<{ producerId: string }>; response: Record<string, never> }
  | { name: 'video.leave'; data: InSession; response: Record<string, never> };

export type VideoRequestName = VideoRequest['name'];
export type VideoRequestData<Name extends VideoRequestName> = Extract<VideoRequest, { name: Name }>['data'];
export type VideoResponse<Name extends VideoRequestName> = Extract<VideoRequest, { name: Name }>['response'];

/** Server → client notifications, one union like the requests. */
export type VideoNotification =
  /** For the therapist: a client is in the waiting room. */
  | { name: 'video.waiting'; data: InSession<VideoPeer> }
  /** For the client: the therapist let them in. */
  | { name: 'video.admitted'; data: InSession }
  | { name: 'video.peerJoined'; data: InSession<VideoPeer> }
  /** `dropped`: the connection was lost and the peer may come back within the grace period. */
  | { name: 'video.peerLeft'; data: InSession<VideoPeer & { reason: 'left' | 'dropped' }> }
  /** Consume this: a producer of the other party (sent once a receive transport exists). */
  | { name: 'video.newProducer'; data: InSession<{ producerId: string; userId: string; kind: MediaKind; paused: boolean }> }
  | { name: 'video.consumerClosed'; data: InSession<{ consumerId: string }> }
  | { name: 'video.producerPaused'; data: InSession<{ producerId: string; paused: boolean }> }
  /**
   * The session's media server failed over (its worker died, or the node owning the session is
   * gone): rebuild transports with `video.join` and produce again.
   */
  | { name: 'video.rejoin'; data: InSession<{ reason: 'worker-died' | 'node-lost' }> }
  | { name: 'video.ended'; data: InSession };

export type VideoClientToServerEvents = {
  [Request in VideoRequest as Request['name']]: (data: Request['data'], ack: Ack<Request['response']>) => void;
};

export type VideoServerToClientEvents = {
  [Notification in VideoNotification as Notification['name']]: (data: Notification['data']) => void;
};
