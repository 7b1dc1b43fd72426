import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { createLogger, Database } from '@therapy-field/server';
import type { VideoNotification } from '@therapy-field/sync';
import { signUp } from '../../support/accounts.js';
import { appointmentTimes, createAppointment } from '../../support/appointments.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { apiClient } from '../../support/http.js';
import type { NodeProcess } from '../../support/node-process.js';
import { startRedis, type TestRedis } from '../../support/redis.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';
import { startVideoNode } from '../../support/video/node.js';
import { waitFor } from '../../support/wait.js';
import { testDatabaseRoles } from '../../support/database-roles.js';

/**
 * Signalling across two nodes with plain sockets (no browser): the node that holds a peer's socket
 * dies without a word, and the owner of the session notices by itself.
 */
let redis: TestRedis;
let testDatabase: TestDatabase;
let database: Database;
let owner: NodeProcess;
let holder: NodeProcess;
const sockets: ClientSocket[] = [];

const startNode = (rtcMinPort: number) =>
  startVideoNode({ databaseUrl: testDatabase.url, redisUrl: redis.url, rtcMinPort, rejoinGraceSeconds: 1 });

beforeAll(async () => {
  [redis, testDatabase] = await Promise.all([startRedis(), createTestDatabase()]);
  database = await Database.create({ databaseUrl: testDatabase.url, dataDir: '.', embeddedPostgresPort: 0, databaseRoles: testDatabaseRoles }, createLogger('silent'));
  [owner, holder] = await Promise.all([startNode(44000), startNode(44100)]);
}, 60_000);
afterAll(async () => {
  sockets.forEach((socket) => socket.close());
  await Promise.all([owner?.close(), holder?.close()]);
  await database?.close();
  await testDatabase?.drop();
  await redis?.close();
});

async function socketOn(node: NodeProcess, user: { accessToken: string }): Promise<ClientSocket> {
  const socket = await connectSocket(node.url, { token: user.accessToken });
  sockets.push(socket);
  return socket;
}

const video = (socket: ClientSocket, name: string, data: object) =>
  (socket.timeout(10_000).emitWithAck as unknown as (event: string, payload: object) => Promise<any>)(name, data);

describe('a video session whose peer’s node dies', () => {
  it('keeps the admission with the appointment, drops the dead node’s peer and records actual_end', async () => {
    const api = apiClient(owner.url);
    const [therapist, client] = await Promise.all([signUp(api, database.owner, 'therapist'), signUp(api, database.owner, 'client')]);
    const appointmentId = await createAppointment(database.owner, { therapistId: therapist.id, clientId: client.id, startsInMinutes: -5 });

    const therapistSocket = await socketOn(owner, therapist);
    const notices: VideoNotification[] = [];
    therapistSocket.onAny((name: string, data: unknown) => notices.push({ name, data } as VideoNotification));
    expect(await video(therapistSocket, 'video.join', { appointmentId })).toMatchObject({ ok: true, data: { admitted: true } });

    const clientSocket = await socketOn(holder, client);
    expect(await video(clientSocket, 'video.join', { appointmentId })).toMatchObject({ ok: true, data: { admitted: false } });
    expect(await video(therapistSocket, 'video.admit', { appointmentId, userId: client.id })).toMatchObject({ ok: true });
    await waitFor(async () => (await appointmentTimes(database.owner, appointmentId)).actualStart !== null, 10_000, 'actual_start');
    const [admission] = await database.owner.query<{ client_admitted_at: Date | null }>(`SELECT client_admitted_at FROM appointments WHERE id = :appointmentId`, {
      type: QueryTypes.SELECT,
      replacements: { appointmentId },
    });
    expect(admission!.client_admitted_at).toBeInstanceOf(Date);

    await holder.kill();
    await waitFor(
      () => notices.some((notice) => notice.name === 'video.peerLeft' && notice.data.userId === client.id && notice.data.reason === 'dropped'),
      15_000,
      'the owner to notice the client’s node is gone',
    );
    expect(await video(therapistSocket, 'video.leave', { appointmentId })).toMatchObject({ ok: true });
    await waitFor(async () => (await appointmentTimes(database.owner, appointmentId)).actualEnd !== null, 10_000, 'actual_end');

    // The client comes back through the live node within the appointment's time: no waiting room again.
    const rejoined = await socketOn(owner, client);
    expect(await video(rejoined, 'video.join', { appointmentId })).toMatchObject({ ok: true, data: { role: 'client', admitted: true } });
    expect(await video(rejoined, 'video.leave', { appointmentId })).toMatchObject({ ok: true });
  });
});
