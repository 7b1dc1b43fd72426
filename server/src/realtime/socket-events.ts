import { AppError, type Ack, type ClientToServerEvents } from '@therapy-field/sync';
import type { z } from 'zod';
import { runAsUser } from '../database/index.js';
import { validationDetails } from '../http/index.js';
import type { Logger } from '../logger/index.js';
import type { HubSocket } from './hub-types.js';

type AckData<Name extends keyof ClientToServerEvents> =
  Parameters<ClientToServerEvents[Name]>[1] extends Ack<infer Data> ? Data : never;

type Dispatch = (socket: HubSocket, payload: unknown, reply: Ack<unknown> | undefined) => Promise<void>;

/**
 * Every client→server event of the hub, registered once at start-up: a socket carries no
 * listener or schema of its own, the socket's last middleware hands each checked packet to
 * `dispatch`. A bad payload or a thrown error never drops the socket.
 */
export class SocketEvents {
  private readonly routes = new Map<string, Dispatch>();
  private readonly disconnectHooks: Array<(socket: HubSocket) => void | Promise<void>> = [];

  constructor(private readonly log: Logger) {}

  /**
   * Registers an event whose payload `schema` checks and whose result (or AppError) goes back
   * in the ack. The handler runs as the socket's user, in one transaction committed before the ack.
   */
  on<Name extends keyof ClientToServerEvents, Schema extends z.ZodType>(
    name: Name,
    schema: Schema,
    handler: (socket: HubSocket, payload: z.infer<Schema>) => Promise<AckData<Name>>,
  ): void {
    if (this.routes.has(name)) throw new Error(`Socket event ${name} is registered twice`);
    this.routes.set(name, async (socket, payload, reply) => {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) throw new AppError('VALIDATION_FAILED', `Invalid ${name} payload`, validationDetails(parsed.error));
      const data = await runAsUser({ id: socket.data.userId, role: socket.data.role }, () => handler(socket, parsed.data));
      reply?.({ ok: true, data });
    });
  }

  /** Runs `hook` when any socket disconnects; a failure is logged, never thrown at Socket.IO. */
  onDisconnect(hook: (socket: HubSocket) => void | Promise<void>): void {
    this.disconnectHooks.push(hook);
  }

  has(name: string): boolean {
    return this.routes.has(name);
  }

  /** Gives the socket its one disconnect listener. */
  attach(socket: HubSocket): void {
    socket.on('disconnect', () => {
      for (const hook of this.disconnectHooks) {
        try {
          Promise.resolve(hook(socket)).catch((error: unknown) => this.disconnectFailed(socket, error));
        } catch (error) {
          this.disconnectFailed(socket, error);
        }
      }
    });
  }

  /** Runs the packet's handler; its ack (or an `error` event without one) carries the outcome. */
  dispatch(socket: HubSocket, [name, ...args]: unknown[]): void {
    const reply = typeof args.at(-1) === 'function' ? (args.pop() as Ack<unknown>) : undefined;
    const route = this.routes.get(String(name));
    const run = route ? route(socket, args[0], reply) : Promise.reject(new AppError('UNKNOWN_EVENT', `Unknown event ${String(name).slice(0, 100)}`));
    run.catch((error: unknown) => {
      const appError = error instanceof AppError ? error : new AppError('INTERNAL', 'Something went wrong on our side');
      if (!(error instanceof AppError)) this.log.error({ err: error, event: name, userId: socket.data.userId }, 'socket event failed');
      if (reply) reply({ ok: false, error: appError.toBody().error });
      else socket.emit('error', appError.toBody().error);
    });
  }

  private disconnectFailed(socket: HubSocket, error: unknown): void {
    this.log.error({ err: error, userId: socket.data.userId }, 'socket disconnect handler failed');
  }
}
