import type { VideoRequestData, VideoRequestName, VideoResponse, VideoTransportInfo } from '@therapy-field/sync';
import { z } from 'zod';
import type { VideoService } from './video.service.js';

const id = z.string().uuid();
const inSession = z.object({ appointmentId: id });
/** mediasoup checks these objects' insides; here they only have to be objects of a sane size. */
const parameters = z.record(z.string(), z.unknown());
const mediaId = z.string().min(1).max(64);

/** The payload schema of every video request; checked where the socket is and again on the session's owner. */
export const videoRequestSchemas = {
  'video.join': inSession,
  'video.admit': inSession.extend({ userId: id }),
  'video.routerCapabilities': inSession,
  'video.createTransport': inSession.extend({ direction: z.enum(['send', 'recv']) }),
  'video.connectTransport': inSession.extend({ transportId: mediaId, dtlsParameters: parameters }),
  'video.restartIce': inSession.extend({ transportId: mediaId }),
  'video.produce': inSession.extend({ transportId: mediaId, kind: z.enum(['audio', 'video']), rtpParameters: parameters }),
  'video.consume': inSession.extend({ producerId: mediaId, rtpCapabilities: parameters }),
  'video.resumeConsumer': inSession.extend({ consumerId: mediaId }),
  'video.pauseProducer': inSession.extend({ producerId: mediaId }),
  'video.resumeProducer': inSession.extend({ producerId: mediaId }),
  'video.closeProducer': inSession.extend({ producerId: mediaId }),
  'video.leave': inSession,
} satisfies { [Name in VideoRequestName]: z.ZodType<VideoRequestData<Name>> };

export const videoRequestNames = Object.keys(videoRequestSchemas) as VideoRequestName[];

/** Who sends a request: the user and the socket speaking for them (possibly on another node). */
export interface VideoCaller {
  userId: string;
  socketId: string;
}

type Handlers = { [Name in VideoRequestName]: (caller: VideoCaller, data: VideoRequestData<Name>) => Promise<VideoResponse<Name>> };

const empty = {} as Record<string, never>;

/** Runs a validated video request against this node's room of the appointment; the room authorizes it. */
export type ExecuteVideoRequest = <Name extends VideoRequestName>(name: Name, caller: VideoCaller, data: VideoRequestData<Name>) => Promise<VideoResponse<Name>>;

export function videoRequestExecutor(service: VideoService): ExecuteVideoRequest {
  const table = handlers(service);
  return <Name extends VideoRequestName>(name: Name, caller: VideoCaller, data: VideoRequestData<Name>) =>
    (table[name] as (caller: VideoCaller, data: VideoRequestData<Name>) => Promise<VideoResponse<Name>>)(caller, data);
}

function handlers(service: VideoService): Handlers {
  const session = ({ userId, socketId }: VideoCaller, appointmentId: string) => service.session(userId, socketId, appointmentId);
  return {
    'video.join': ({ userId, socketId }, { appointmentId }) => service.join(userId, socketId, appointmentId),
    'video.admit': async ({ userId, socketId }, { appointmentId, userId: clientId }) => {
      await service.room(appointmentId).admit(userId, socketId, clientId);
      return empty;
    },
    'video.routerCapabilities': async (caller, { appointmentId }) => ({ rtpCapabilities: session(caller, appointmentId).rtpCapabilities as Record<string, unknown> }),
    'video.createTransport': async (caller, { appointmentId, direction }) => {
      const transport = await session(caller, appointmentId).createWebRtcTransport(caller.userId, direction);
      // After the ack: the client creates its receive transport before it is told what to consume.
      if (direction === 'recv') setImmediate(() => service.room(appointmentId).announceExistingProducers(caller.userId));
      return transport as unknown as VideoTransportInfo;
    },
    'video.connectTransport': async (caller, { appointmentId, transportId, dtlsParameters }) => {
      await session(caller, appointmentId).connectTransport(caller.userId, transportId, dtlsParameters as never);
      return empty;
    },
    'video.restartIce': async (caller, { appointmentId, transportId }) => ({
      iceParameters: (await session(caller, appointmentId).restartIce(caller.userId, transportId)) as unknown as Record<string, unknown>,
    }),
    'video.produce': async (caller, { appointmentId, transportId, kind, rtpParameters }) => {
      const producer = await session(caller, appointmentId).produce(caller.userId, transportId, kind, rtpParameters as never);
      setImmediate(() => service.room(appointmentId).announceProducer(caller.userId, producer));
      return { producerId: producer.id };
    },
    'video.consume': async (caller, { appointmentId, producerId, rtpCapabilities }) => {
      const consumer = await session(caller, appointmentId).consume(caller.userId, producerId, rtpCapabilities as never);
      const { peerId, ...info } = consumer;
      return { ...info, userId: peerId, rtpParameters: info.rtpParameters as unknown as Record<string, unknown> };
    },
    'video.resumeConsumer': async (caller, { appointmentId, consumerId }) => {
      await session(caller, appointmentId).resumeConsumer(caller.userId, consumerId);
      return empty;
    },
    'video.pauseProducer': async (caller, { appointmentId, producerId }) => {
      await session(caller, appointmentId).pauseProducer(caller.userId, producerId);
      return empty;
    },
    'video.resumeProducer': async (caller, { appointmentId, producerId }) => {
      await session(caller, appointmentId).resumeProducer(caller.userId, producerId);
      return empty;
    },
    'video.closeProducer': async (caller, { appointmentId, producerId }) => {
      session(caller, appointmentId).closeProducer(caller.userId, producerId);
      return empty;
    },
    'video.leave': async ({ userId, socketId }, { appointmentId }) => {
      service.room(appointmentId).leave(userId, socketId);
      return empty;
    },
  };
}
