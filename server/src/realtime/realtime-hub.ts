import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { AppError, type HandshakeAuth } from '@therapy-field/sync';
import type { TokenSigner } from '../auth/index.js';
import type { Logger } from '../logger/index.js';
import type { ConnectionHandler, HubServer } from './hub-types.js';
import { userRoom } from './rooms.js';

export interface RealtimeHubOptions {
  tokens: TokenSigner;
  logger: Logger;
  /** Largest socket message in bytes. @default 1_000_000 */
  maxPayloadBytes?: number;
}

/**
 * Socket.IO on the platform's HTTP port. The handshake must carry a valid access token; each
 * socket joins its user's room, then every registered capability attaches its handlers.
 */
export class RealtimeHub {
  readonly io: HubServer;
  private readonly handlers: ConnectionHandler[] = [];
  private readonly log: Logger;

  constructor({ tokens, logger, maxPayloadBytes = 1_000_000 }: RealtimeHubOptions) {
    this.log = logger.child({ module: 'realtime' });
    this.io = new Server({ maxHttpBufferSize: maxPayloadBytes, transports: ['websocket', 'polling'], serveClient: false });
    this.io.use((socket, next) => {
      const { token } = (socket.handshake.auth ?? {}) as Partial<HandshakeAuth>;
      if (typeof token !== 'string' || token === '') return next(connectError(new AppError('UNAUTHENTICATED', 'Authentication required')));
      tokens.verifyAccessToken(token).then(
        (user) => {
          socket.data.userId = user.id;
          socket.data.role = user.role;
          next();
        },
        (error: unknown) => next(connectError(error instanceof AppError ? error : new AppError('TOKEN_INVALID', 'Token is not valid'))),
      );
    });
    this.io.on('connection', (socket) => {
      void socket.join(userRoom(socket.data.userId));
      for (const attach of this.handlers) attach(socket);
    });
  }

  /** Adds a capability's handlers to every future connection. */
  onConnection(handler: ConnectionHandler): void {
    this.handlers.push(handler);
  }

  attach(server: HttpServer): void {
    this.io.attach(server);
  }

  get logger(): Logger {
    return this.log;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }
}

/** Socket.IO hands `err.data` to the client's `connect_error`: the same `{ code, message }` as HTTP. */
function connectError(error: AppError): Error & { data: unknown } {
  return Object.assign(new Error(error.message), { data: error.toBody().error });
}
