import type { Sequelize } from 'sequelize';
import type { Config } from '../config/index.js';
import type { Logger } from '../logger/index.js';
import type { RealtimeHub } from '../realtime/index.js';
import { attachVideoHandlers } from './video.socket.js';
import { VideoRepository } from './video.repository.js';
import { VideoService } from './video.service.js';

export { VideoService } from './video.service.js';
export type { VideoRoom, VideoRoomEvents } from './VideoRoomTypes.js';

/** Video sessions: join rules, waiting room and mediasoup signalling over the hub's sockets. */
export function createVideoModule({ config, sequelize, realtime, logger }: { config: Config['video']; sequelize: Sequelize; realtime: RealtimeHub; logger: Logger }) {
  const service = new VideoService({
    config,
    repository: new VideoRepository(sequelize),
    notify: (socketId, name, data) => {
      (realtime.io.to(socketId).emit as (event: string, payload: unknown) => boolean)(name, data);
    },
    logger,
  });
  realtime.onConnection((socket) => attachVideoHandlers(socket, service, logger));
  return { service };
}
