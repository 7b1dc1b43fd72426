import type { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import type { Config } from '../config/index.js';
import type { Logger } from '../logger/index.js';
import type { RealtimeHub } from '../realtime/index.js';
import { VideoCluster } from './video.cluster.js';
import { videoRequestExecutor } from './video.signalling.js';
import { registerVideoEvents } from './video.socket.js';
import { VideoRepository } from './video.repository.js';
import { VideoService } from './video.service.js';
import type { VideoRouting } from './VideoClusterTypes.js';
import type { Notify } from './VideoRoomTypes.js';

export { VideoService } from './video.service.js';
export type { VideoRoom, VideoRoomEvents } from './VideoRoomTypes.js';

/**
 * Video sessions: join rules, waiting room and mediasoup signalling over the hub's sockets. With
 * Redis, a session is owned by one node and the others relay their sockets' requests to it.
 */
export async function createVideoModule({ config, sequelize, realtime, redis, logger }: { config: Config['video']; sequelize: Sequelize; realtime: RealtimeHub; redis?: Redis; logger: Logger }) {
  // Through the Socket.IO adapter, this reaches a socket on any node.
  const notify: Notify = (socketId, name, data) => {
    (realtime.io.to(socketId).emit as (event: string, payload: unknown) => boolean)(name, data);
  };
  const service = new VideoService({ config, repository: new VideoRepository(sequelize), notify, logger });
  const execute = videoRequestExecutor(service);
  const routing: VideoRouting = redis
    ? await VideoCluster.create({ redis, service, execute, notify, logger })
    : { request: execute, disconnected: (socketId) => service.disconnected(socketId), close: async () => undefined };
  registerVideoEvents(realtime.events, routing);
  return {
    service,
    /** Leases first (so the sessions can move at once), then the rooms and the SFU. */
    async close() {
      await routing.close();
      await service.close();
    },
  };
}
