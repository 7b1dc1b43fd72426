import type { VideoRequestData, VideoRequestName } from '@therapy-field/sync';
import { appointmentRoom, type SocketEvents } from '../realtime/index.js';
import { videoRequestNames, videoRequestSchemas } from './video.signalling.js';
import type { VideoRouting } from './VideoClusterTypes.js';

/**
 * Video signalling on the hub's sockets: every request is validated here, then runs where the
 * session lives (this node or its owner node), whose room authorizes it.
 */
export function registerVideoEvents(events: SocketEvents, routing: VideoRouting): void {
  const register = <Name extends VideoRequestName>(name: Name) =>
    events.on(name, videoRequestSchemas[name], async (socket, payload) => {
      const data = payload as VideoRequestData<Name>;
      const response = await routing.request(name, { userId: socket.data.userId, socketId: socket.id }, data);
      // The appointment room (appointment changes) is joined where the socket is.
      if (name === 'video.join') await socket.join(appointmentRoom(data.appointmentId));
      if (name === 'video.leave') await socket.leave(appointmentRoom(data.appointmentId));
      return response as never;
    });
  videoRequestNames.forEach(register);
  events.onDisconnect((socket) => routing.disconnected(socket.id));
}
