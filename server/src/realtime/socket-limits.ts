import { AppError, recordCarryingEvents, type ClientToServerEvents } from '@therapy-field/sync';
import type { Logger } from '../logger/index.js';
import type { HubSocket } from './hub-types.js';
import type { SocketEvents } from './socket-events.js';
import { payloadShapeViolation } from './payload-shape.js';
import type { UserRequestQueue } from './user-request-queue.js';

export interface SocketLimits {
  /** Sustained events per second per socket; bursts of twice that pass. */
  eventsPerSecond: number;
  /** Largest event payload in bytes (JSON); bigger ones are refused, the socket stays up. */
  maxEventBytes: number;
  /** The same for events that carry records (`sync.push`): the HTTP body limit. */
  maxRecordEventBytes: number;
  /** Sockets one account may have open, counted across every node. */
  socketsPerUser: number;
  /** Queued events of one account running at once on a node; more wait in line. */
  concurrentRequestsPerUser: number;
}

/** Events that read or write many rows: each account's run through a `UserRequestQueue`. */
const queuedEvents = new Set<string>(['sync.pull', 'sync.push', 'changes.since'] satisfies Array<keyof ClientToServerEvents>);

/**
 * Deepest nesting an event payload may have. The deepest contract payload (a push row's record,
 * or mediasoup's RTP parameters inside a video request) nests under 10 levels.
 */
export const MAX_EVENT_DEPTH = 32;

const carriesRecords = new Set<string>(recordCarryingEvents);

export interface SocketGuards {
  limits: SocketLimits;
  /** Shared by every socket of this node. */
  queue: UserRequestQueue;
  log: Logger;
  onEvent: (event: string) => void;
  /** Where a packet that passed every check goes. */
  events: SocketEvents;
}

/**
 * The socket's one middleware: checks every incoming event before its handler: rate (token bucket), a known name, payload
 * size and depth, then for expensive events a place in the account's line. A refused event gets
 * an error ack (or an `error` event when it has no ack); a failure of the checks themselves is
 * logged and refused as INTERNAL, never thrown at Socket.IO.
 */
export function applySocketLimits(socket: HubSocket, { limits, queue, log, onEvent, events }: SocketGuards): void {
  const burst = limits.eventsPerSecond * 2;
  let tokens = burst;
  let refilledAt = Date.now();
  socket.use((packet) => {
    const [event, ...args] = packet;
    const ack = typeof args.at(-1) === 'function' ? (args.at(-1) as (response: unknown) => void) : undefined;
    const refuse = (error: AppError) => (ack ? ack({ ok: false, error: error.toBody().error }) : socket.emit('error', error.toBody().error));
    try {
      const known = events.has(event);
      // An unknown name is counted under one label: names chosen by clients must not grow the metrics.
      onEvent(known ? event : 'unknown');
      const now = Date.now();
      tokens = Math.min(burst, tokens + ((now - refilledAt) / 1000) * limits.eventsPerSecond);
      refilledAt = now;
      if (tokens < 1) return refuse(new AppError('RATE_LIMITED', `More than ${limits.eventsPerSecond} events per second`));
      tokens -= 1;
      if (!known) return refuse(new AppError('UNKNOWN_EVENT', `Unknown event ${String(event).slice(0, 100)}`));
      const maxBytes = carriesRecords.has(event) ? limits.maxRecordEventBytes : limits.maxEventBytes;
      const violation = payloadShapeViolation(ack ? args.slice(0, -1) : args, { maxBytes, maxDepth: MAX_EVENT_DEPTH });
      if (violation === 'too-large') return refuse(new AppError('PAYLOAD_TOO_LARGE', `Event payload exceeds ${maxBytes} bytes`));
      if (violation === 'too-deep') return refuse(new AppError('PAYLOAD_TOO_DEEP', `Event payload nests deeper than ${MAX_EVENT_DEPTH} levels`, { maxDepth: MAX_EVENT_DEPTH }));
      if (!queuedEvents.has(event)) return events.dispatch(socket, packet);
      if (!ack) return refuse(new AppError('VALIDATION_FAILED', `${event} needs an acknowledgement callback`));
      const entered = queue.enter(socket.data.userId);
      if (!entered) return refuse(new AppError('RATE_LIMITED', `Too many ${event} requests of this account at once`));
      void entered.then((release) => {
        if (!socket.connected) return release();
        // The handler always acks (see SocketEvents): that ends the request's turn.
        packet[packet.length - 1] = (response: unknown) => {
          release();
          ack(response);
        };
        events.dispatch(socket, packet);
      });
    } catch (error) {
      log.error({ err: error, userId: socket.data.userId }, 'socket event check failed');
      refuse(new AppError('INTERNAL', 'Something went wrong on our side'));
    }
  });
}
