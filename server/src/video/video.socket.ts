import type { VideoTransportInfo } from '@therapy-field/sync';
import { z } from 'zod';
import { appointmentRoom, handleEvent, type HubSocket } from '../realtime/index.js';
import type { Logger } from '../logger/index.js';
import type { VideoService } from './video.service.js';

const id = z.string().uuid();
const inSession = z.object({ appointmentId: id });
/** mediasoup checks these objects' insides; here they only have to be objects of a sane size. */
const parameters = z.record(z.string(), z.unknown());
const mediaId = z.string().min(1).max(64);

const empty = {} as Record<string, never>;

/** Video signalling on one socket: every request is validated, then authorized by the room. */
export function attachVideoHandlers(socket: HubSocket, service: VideoService, logger: Logger): void {
  const userId = socket.data.userId;
  const log = logger.child({ module: 'video.socket', userId });
  const session = (appointmentId: string) => service.session(userId, socket.id, appointmentId);

  handleEvent(socket, log, 'video.join', inSession, async ({ appointmentId }) => {
    const joined = await service.join(userId, socket.id, appointmentId);
    await socket.join(appointmentRoom(appointmentId));
    return joined;
  });

  handleEvent(socket, log, 'video.admit', inSession.extend({ userId: id }), async ({ appointmentId, userId: clientId }) => {
    await service.room(appointmentId).admit(userId, socket.id, clientId);
    return empty;
  });

  handleEvent(socket, log, 'video.routerCapabilities', inSession, async ({ appointmentId }) => ({
    rtpCapabilities: session(appointmentId).rtpCapabilities as Record<string, unknown>,
  }));

  handleEvent(socket, log, 'video.createTransport', inSession.extend({ direction: z.enum(['send', 'recv']) }), async ({ appointmentId, direction }) => {
    const transport = await session(appointmentId).createWebRtcTransport(userId, direction);
    // After the ack: the client creates its receive transport before it is told what to consume.
    if (direction === 'recv') setImmediate(() => service.room(appointmentId).announceExistingProducers(userId));
    return transport as unknown as VideoTransportInfo;
  });

  handleEvent(socket, log, 'video.connectTransport', inSession.extend({ transportId: mediaId, dtlsParameters: parameters }), async ({ appointmentId, transportId, dtlsParameters }) => {
    await session(appointmentId).connectTransport(userId, transportId, dtlsParameters as never);
    return empty;
  });

  handleEvent(socket, log, 'video.restartIce', inSession.extend({ transportId: mediaId }), async ({ appointmentId, transportId }) => ({
    iceParameters: (await session(appointmentId).restartIce(userId, transportId)) as unknown as Record<string, unknown>,
  }));

  handleEvent(
    socket,
    log,
    'video.produce',
    inSession.extend({ transportId: mediaId, kind: z.enum(['audio', 'video']), rtpParameters: parameters }),
    async ({ appointmentId, transportId, kind, rtpParameters }) => {
      const producer = await session(appointmentId).produce(userId, transportId, kind, rtpParameters as never);
      setImmediate(() => service.room(appointmentId).announceProducer(userId, producer));
      return { producerId: producer.id };
    },
  );

  handleEvent(socket, log, 'video.consume', inSession.extend({ producerId: mediaId, rtpCapabilities: parameters }), async ({ appointmentId, producerId, rtpCapabilities }) => {
    const consumer = await session(appointmentId).consume(userId, producerId, rtpCapabilities as never);
    const { peerId, ...info } = consumer;
    return { ...info, userId: peerId, rtpParameters: info.rtpParameters as unknown as Record<string, unknown> };
  });

  handleEvent(socket, log, 'video.resumeConsumer', inSession.extend({ consumerId: mediaId }), async ({ appointmentId, consumerId }) => {
    await session(appointmentId).resumeConsumer(userId, consumerId);
    return empty;
  });

  handleEvent(socket, log, 'video.pauseProducer', inSession.extend({ producerId: mediaId }), async ({ appointmentId, producerId }) => {
    await session(appointmentId).pauseProducer(userId, producerId);
    return empty;
  });

  handleEvent(socket, log, 'video.resumeProducer', inSession.extend({ producerId: mediaId }), async ({ appointmentId, producerId }) => {
    await session(appointmentId).resumeProducer(userId, producerId);
    return empty;
  });

  handleEvent(socket, log, 'video.closeProducer', inSession.extend({ producerId: mediaId }), async ({ appointmentId, producerId }) => {
    session(appointmentId).closeProducer(userId, producerId);
    return empty;
  });

  handleEvent(socket, log, 'video.leave', inSession, async ({ appointmentId }) => {
    service.room(appointmentId).leave(userId, socket.id);
    await socket.leave(appointmentRoom(appointmentId));
    return empty;
  });

  socket.on('disconnect', () => service.disconnected(socket.id));
}
