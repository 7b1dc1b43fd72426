import type { types } from 'mediasoup';

/** The slice of a pino logger the media workspace writes to. */
export interface MediaLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  child(fields: object): MediaLogger;
}

export interface WorkerPoolOptions {
  /** Workers to run. @default os.availableParallelism() */
  numWorkers?: number;
  /** The mediasoup-worker binary. @default the cached build (see locateWorkerBinary) */
  workerBin?: string;
  /** UDP/TCP port range of WebRTC transports, shared by all workers. @default 40000–49999 */
  rtcMinPort?: number;
  rtcMaxPort?: number;
  logLevel?: types.WorkerLogLevel;
}

export interface WebRtcListenOptions {
  /** Address the transports bind to. @default '0.0.0.0' */
  listenIp?: string;
  /** Address given to browsers in ICE candidates (public IP or host name). @default listenIp */
  announcedAddress?: string;
}

/**
 * Codecs every session router offers: opus for audio, VP8 for video and H264 (baseline and
 * constrained baseline, packetization-mode 1) where the browser offers it.
 */
export const mediaCodecs: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 600 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1, 'x-google-start-bitrate': 600 },
  },
];
