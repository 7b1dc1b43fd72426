import type { types } from 'mediasoup';

export type TransportDirection = 'send' | 'recv';

/** What a browser needs to build its side of a WebRTC transport. */
export interface WebRtcTransportInfo {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
}

export interface ConsumerInfo {
  id: string;
  producerId: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
  /** The producer's peer. */
  peerId: string;
  /** Consumers start paused; the client resumes once its track is wired up. */
  paused: true;
  producerPaused: boolean;
}

export interface ProducerInfo {
  id: string;
  peerId: string;
  kind: types.MediaKind;
  paused: boolean;
}

/** Why a session closed: its last peer left, it was closed by its owner, or its worker died. */
export type SessionCloseReason = 'empty' | 'closed' | 'worker-died';

export interface SessionEvents {
  close: SessionCloseReason;
  /** A consumer closed on the server side (its producer or transport went away). */
  consumerclose: { peerId: string; consumerId: string };
  /** A peer's producer was paused or resumed (the other side may show "camera off"). */
  producerpause: { peerId: string; producerId: string; paused: boolean };
}

/**
 * One video session: a mediasoup router on one worker and each peer's transports, producers and
 * consumers. Created on the first join; closes itself when its last peer leaves.
 */
export interface Session {
  readonly id: string;
  readonly workerPid: number;
  readonly closed: boolean;
  readonly rtpCapabilities: types.RtpCapabilities;
  readonly peerIds: readonly string[];
  addPeer(peerId: string): void;
  /** Closes the peer's transports (so its producers and the consumers of them), then closes the session if it was the last. */
  removePeer(peerId: string): void;
  createWebRtcTransport(peerId: string, direction: TransportDirection): Promise<WebRtcTransportInfo>;
  connectTransport(peerId: string, transportId: string, dtlsParameters: types.DtlsParameters): Promise<void>;
  restartIce(peerId: string, transportId: string): Promise<types.IceParameters>;
  produce(peerId: string, transportId: string, kind: types.MediaKind, rtpParameters: types.RtpParameters): Promise<ProducerInfo>;
  /** The other peers' producers, for a peer that just got a receive transport. */
  producersOfOthers(peerId: string): ProducerInfo[];
  consume(peerId: string, producerId: string, rtpCapabilities: types.RtpCapabilities): Promise<ConsumerInfo>;
  resumeConsumer(peerId: string, consumerId: string): Promise<void>;
  pauseProducer(peerId: string, producerId: string): Promise<void>;
  resumeProducer(peerId: string, producerId: string): Promise<void>;
  closeProducer(peerId: string, producerId: string): void;
  on<Name extends keyof SessionEvents>(name: Name, listener: (event: SessionEvents[Name]) => void): void;
  close(): void;
}
