import type { VideoRequestData, VideoRequestName } from '@therapy-field/sync';
import { appointmentRoom, handleDisconnect, handleEvent, type HubSocket } from '../realtime/index.js';
import type { Logger } from '../logger/index.js';
import { videoRequestNames, videoRequestSchemas } from './video.signalling.js';
import type { VideoRouting } from './VideoClusterTypes.js';

/**
 * Video signalling on one socket: every request is validated here, then runs where the session
 * lives (this node or its owner node), whose room authorizes it.
 */
export function attachVideoHandlers(socket: HubSocket, routing: VideoRouting, logger: Logger): void {
  const caller = { userId: socket.data.userId, socketId: socket.id };
  const log = logger.child({ module: 'video.socket', userId: caller.userId });

  const attach = <Name extends VideoRequestName>(name: Name) =>
    handleEvent(socket, log, name, videoRequestSchemas[name], async (payload) => {
      const data = payload as VideoRequestData<Name>;
      const response = await routing.request(name, caller, data);
      // The appointment room (appointment changes) is joined where the socket is.
      if (name === 'video.join') await socket.join(appointmentRoom(data.appointmentId));
      if (name === 'video.leave') await socket.leave(appointmentRoom(data.appointmentId));
      return response as never;
    });
  videoRequestNames.forEach(attach);

  handleDisconnect(socket, log, () => routing.disconnected(socket.id));
}
