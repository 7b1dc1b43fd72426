import { AppError, recordCarryingEvents } from '@therapy-field/sync';
import type { HubSocket } from './hub-types.js';

export interface SocketLimits {
  /** Sustained events per second per socket; bursts of twice that pass. */
  eventsPerSecond: number;
  /** Largest event payload in bytes (JSON); bigger ones are refused, the socket stays up. */
  maxEventBytes: number;
  /** The same for events that carry records (`sync.push`): the HTTP body limit. */
  maxRecordEventBytes: number;
}

const carriesRecords = new Set<string>(recordCarryingEvents);

/**
 * Checks every incoming event before its handler: rate (token bucket), a known name and payload
 * size. A refused event gets an error ack (or an `error` event when it has no ack).
 */
export function applySocketLimits(socket: HubSocket, limits: SocketLimits, onEvent: (event: string) => void): void {
  const burst = limits.eventsPerSecond * 2;
  let tokens = burst;
  let refilledAt = Date.now();
  socket.use(([event, ...args], next) => {
    onEvent(event);
    const now = Date.now();
    tokens = Math.min(burst, tokens + ((now - refilledAt) / 1000) * limits.eventsPerSecond);
    refilledAt = now;
    const ack = typeof args.at(-1) === 'function' ? (args.at(-1) as (response: unknown) => void) : undefined;
    const refuse = (error: AppError) => (ack ? ack({ ok: false, error: error.toBody().error }) : socket.emit('error', error.toBody().error));
    if (tokens < 1) return refuse(new AppError('RATE_LIMITED', `More than ${limits.eventsPerSecond} events per second`));
    tokens -= 1;
    if (socket.listeners(event as never).length === 0) return refuse(new AppError('UNKNOWN_EVENT', `Unknown event ${event}`));
    const payload = ack ? args.slice(0, -1) : args;
    const maxBytes = carriesRecords.has(event) ? limits.maxRecordEventBytes : limits.maxEventBytes;
    if (Buffer.byteLength(JSON.stringify(payload) ?? '') > maxBytes) {
      return refuse(new AppError('PAYLOAD_TOO_LARGE', `Event payload exceeds ${maxBytes} bytes`));
    }
    next();
  });
}
