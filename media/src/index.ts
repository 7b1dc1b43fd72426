export { Sfu, type SfuOptions } from './Sfu.js';
export type { Sfu as SfuContract, SfuEvents } from './SfuTypes.js';
export type { Session, SessionEvents, SessionCloseReason, ConsumerInfo, ProducerInfo, TransportDirection, WebRtcTransportInfo } from './SessionTypes.js';
export { WorkerPool } from './WorkerPool.js';
export type { WorkerPool as WorkerPoolContract, WorkerPoolEvents } from './WorkerPoolTypes.js';
export { mediaCodecs, type MediaLogger, type WebRtcListenOptions, type WorkerPoolOptions } from './MediaTypes.js';
export { locateWorkerBinary, BUILD_COMMAND as WORKER_BUILD_COMMAND, type WorkerBinaryLocation } from '../worker-build/worker-location.mjs';
