import { startNodeProcess, type NodeProcess } from '../node-process.js';
import { requireMediasoupWorker } from '../prerequisites.js';

export interface VideoNodeOptions {
  databaseUrl: string;
  redisUrl: string;
  /** First of 100 WebRTC ports of its own, so nodes on one machine never share one. */
  rtcMinPort: number;
  rejoinGraceSeconds: number;
}

/** A server process with one mediasoup worker on loopback, sharing the database and Redis with its peers. */
export async function startVideoNode(options: VideoNodeOptions): Promise<NodeProcess> {
  requireMediasoupWorker();
  return startNodeProcess({
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    VIDEO_WORKERS: '1',
    VIDEO_LISTEN_IP: '127.0.0.1',
    VIDEO_RTC_MIN_PORT: String(options.rtcMinPort),
    VIDEO_RTC_MAX_PORT: String(options.rtcMinPort + 99),
    VIDEO_REJOIN_GRACE_SECONDS: String(options.rejoinGraceSeconds),
  });
}
