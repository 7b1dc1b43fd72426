import { AppError, type Ack, type ClientToServerEvents } from '@therapy-field/sync';
import type { z } from 'zod';
import { runAsUser } from '../database/index.js';
import { validationDetails } from '../http/index.js';
import type { Logger } from '../logger/index.js';
import type { HubSocket } from './hub-types.js';

type AckData<Name extends keyof ClientToServerEvents> =
  Parameters<ClientToServerEvents[Name]>[1] extends Ack<infer Data> ? Data : never;

/**
 * Registers a client→server event whose payload is checked by `schema` and whose result (or
 * AppError) goes back in the ack. A bad payload or a thrown error never drops the socket.
 * The handler runs as the socket's user, in one transaction committed before the ack.
 */
export function handleEvent<Name extends keyof ClientToServerEvents, Schema extends z.ZodType>(
  socket: HubSocket,
  logger: Logger,
  name: Name,
  schema: Schema,
  handler: (payload: z.infer<Schema>) => Promise<AckData<Name>>,
): void {
  const listener = async (payload: unknown, ack: unknown) => {
    const reply = typeof ack === 'function' ? (ack as Ack<AckData<Name>>) : undefined;
    try {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) throw new AppError('VALIDATION_FAILED', `Invalid ${String(name)} payload`, validationDetails(parsed.error));
      const data = await runAsUser({ id: socket.data.userId, role: socket.data.role }, () => handler(parsed.data));
      reply?.({ ok: true, data });
    } catch (error) {
      const appError = error instanceof AppError ? error : new AppError('INTERNAL', 'Something went wrong on our side');
      if (!(error instanceof AppError)) logger.error({ err: error, event: name, userId: socket.data.userId }, 'socket event failed');
      if (reply) reply({ ok: false, error: appError.toBody().error });
      else socket.emit('error', appError.toBody().error);
    }
  };
  socket.on(name, listener as never);
}

/**
 * Runs `handler` when the socket disconnects. Socket.IO calls it from the connection's close
 * event, where a throw would end the process: a failure is logged instead.
 */
export function handleDisconnect(socket: HubSocket, logger: Logger, handler: () => void | Promise<void>): void {
  socket.on('disconnect', () => {
    try {
      Promise.resolve(handler()).catch((error: unknown) => logger.error({ err: error, userId: socket.data.userId }, 'socket disconnect handler failed'));
    } catch (error) {
      logger.error({ err: error, userId: socket.data.userId }, 'socket disconnect handler failed');
    }
  });
}
