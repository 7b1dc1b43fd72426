export { createVideoClient } from './video/index.js';
export type { CallState, CallStats, ConnectionQuality, JoinOptions, VideoCall, VideoCallEvents, VideoClient, VideoSocket } from './video/index.js';
