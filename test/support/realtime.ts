import { QueryTypes, type Sequelize } from 'sequelize';
import type { AckResponse, ChangeEvent, ClientToServerEvents } from '@therapy-field/sync';
import type { ClientSocket } from './socket.js';

/** Emits a client→server event and resolves with its ack. */
export function request<Name extends keyof ClientToServerEvents>(
  socket: ClientSocket,
  name: Name,
  payload: unknown,
  timeoutMs = 5_000,
): Promise<AckResponse<Parameters<Parameters<ClientToServerEvents[Name]>[1]>[0] extends AckResponse<infer Data> ? Data : never>> {
  return (socket.timeout(timeoutMs) as any).emitWithAck(name, payload);
}

/** Every `change` a socket receives, in arrival order. */
export function collectChanges(socket: ClientSocket): ChangeEvent[] {
  const changes: ChangeEvent[] = [];
  socket.on('change', (change) => changes.push(change));
  return changes;
}

let slot = Math.floor(Math.random() * 1_000);

/** An appointment row written with plain SQL (scheduling may live on another branch), each in its own hour. */
export async function insertAppointment(sequelize: Sequelize, clientId: string, therapistId: string, startsInDays = 3): Promise<string> {
  const [row] = await sequelize.query<{ id: string }>(
    `INSERT INTO appointments (client_id, therapist_id, scheduled_start, scheduled_end)
     VALUES (:clientId, :therapistId, now() + make_interval(days => :days, hours => :hours), now() + make_interval(days => :days, hours => :hours + 1))
     RETURNING id`,
    { type: QueryTypes.SELECT, replacements: { clientId, therapistId, days: startsInDays, hours: (slot += 2) } },
  );
  return row!.id;
}

export async function insertNotification(sequelize: Sequelize, userId: string, message = 'test'): Promise<string> {
  const [row] = await sequelize.query<{ id: string }>(`INSERT INTO notifications (user_id, type, message) VALUES (:userId, 'test', :message) RETURNING id`, {
    type: QueryTypes.SELECT,
    replacements: { userId, message },
  });
  return row!.id;
}

let rawAckId = 1_000_000;

/**
 * Emits an event whose payload is already JSON text, written into the frame as an attacker would:
 * socket.io-client's encoder recurses, so it cannot send a payload nested 20,000 levels deep
 * itself. Resolves with the ack, rejects when none comes within `timeoutMs`.
 */
export function requestRaw(socket: ClientSocket, name: string, payloadJson: string, timeoutMs = 5_000): Promise<AckResponse<unknown>> {
  const id = (rawAckId += 1);
  const engine = socket.io.engine;
  // Socket.IO packet types inside an Engine.IO message: 2 an event, 3 its ack.
  const prefix = `3${id}`;
  return new Promise((resolve, reject) => {
    const onPacket = (packet: { type: string; data?: unknown }) => {
      if (packet.type !== 'message' || typeof packet.data !== 'string' || !packet.data.startsWith(`${prefix}[`)) return;
      clearTimeout(timer);
      engine.off('packet', onPacket);
      resolve((JSON.parse(packet.data.slice(prefix.length)) as [AckResponse<unknown>])[0]);
    };
    const timer = setTimeout(() => {
      engine.off('packet', onPacket);
      reject(new Error(`no ack for ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    engine.on('packet', onPacket);
    engine.write(`2${id}[${JSON.stringify(name)},${payloadJson}]`);
  });
}

/** JSON text of an array nested `depth` levels deep around `inner` (40 KB for 20,000 levels). */
export function deeplyNested(depth: number, inner = ''): string {
  return `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
}
