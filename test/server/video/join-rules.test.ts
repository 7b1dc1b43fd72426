import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../support/accounts.js';
import { appointmentTimes, createAppointment } from '../../support/appointments.js';
import { apiClient } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';
import { waitFor } from '../../support/wait.js';

let node: TestPlatform;
let therapist: Awaited<ReturnType<typeof signUp>>;
let client: Awaited<ReturnType<typeof signUp>>;
let stranger: Awaited<ReturnType<typeof signUp>>;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  node = await startTestPlatform({ VIDEO_WORKERS: '1', VIDEO_LISTEN_IP: '127.0.0.1', VIDEO_REJOIN_GRACE_SECONDS: '1' });
  const api = apiClient(node.url);
  [therapist, client, stranger] = await Promise.all([
    signUp(api, node.platform.database.owner, 'therapist'),
    signUp(api, node.platform.database.owner, 'client'),
    signUp(api, node.platform.database.owner, 'client'),
  ]);
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await node?.close();
});

async function socketOf(user: { accessToken: string }) {
  const socket = await connectSocket(node.url, { token: user.accessToken });
  sockets.push(socket);
  return socket;
}

function join(socket: ClientSocket, appointmentId: string) {
  return socket.timeout(10_000).emitWithAck('video.join', { appointmentId });
}

/** Each case starts on its own day, so the no-overlap constraints never interfere. */
const appointment = (spec: { startsInMinutes: number; status?: 'confirmed' | 'cancelled'; isOnline?: boolean }) =>
  createAppointment(node.platform.database.owner, { therapistId: therapist.id, clientId: client.id, durationMinutes: 50, ...spec });

describe('video join rules', () => {
  it('refuses someone who is neither the client nor the therapist (403 VIDEO_NOT_A_PARTICIPANT)', async () => {
    const id = await appointment({ startsInMinutes: 3 * 24 * 60 });
    const reply = await join(await socketOf(stranger), id);
    expect(reply).toMatchObject({ ok: false, error: { code: 'VIDEO_NOT_A_PARTICIPANT' } });
  });

  it('refuses the right people at the wrong time (409 VIDEO_TOO_EARLY / VIDEO_SESSION_OVER)', async () => {
    const later = await appointment({ startsInMinutes: 2 * 24 * 60 });
    const early = await join(await socketOf(client), later);
    expect(early).toMatchObject({ ok: false, error: { code: 'VIDEO_TOO_EARLY', details: { opensAt: expect.any(String) } } });

    const past = await appointment({ startsInMinutes: -24 * 60 });
    expect(await join(await socketOf(therapist), past)).toMatchObject({ ok: false, error: { code: 'VIDEO_SESSION_OVER' } });
  });

  it('refuses a cancelled appointment (409 VIDEO_NOT_CONFIRMED) and an in-person one (409 VIDEO_IN_PERSON)', async () => {
    const cancelled = await appointment({ startsInMinutes: 4 * 24 * 60, status: 'cancelled' });
    expect(await join(await socketOf(client), cancelled)).toMatchObject({ ok: false, error: { code: 'VIDEO_NOT_CONFIRMED' } });
    const inPerson = await appointment({ startsInMinutes: 5 * 24 * 60, isOnline: false });
    expect(await join(await socketOf(client), inPerson)).toMatchObject({ ok: false, error: { code: 'VIDEO_IN_PERSON' } });
  });

  it('rejects a malformed request and signalling before joining', async () => {
    const socket = await socketOf(client);
    expect(await join(socket, 'not-a-uuid')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const id = await appointment({ startsInMinutes: 6 * 24 * 60 });
    const reply = await socket.timeout(5000).emitWithAck('video.createTransport', { appointmentId: id, direction: 'send' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'VIDEO_NOT_JOINED' } });
  });

  it('opens 10 minutes before the start: the therapist enters, the client waits until admitted, then signalling works', async () => {
    const id = await appointment({ startsInMinutes: 9 });
    const therapistSocket = await socketOf(therapist);
    const clientSocket = await socketOf(client);
    expect(await join(therapistSocket, id)).toMatchObject({ ok: true, data: { role: 'therapist', admitted: true, waiting: [] } });

    const waiting = new Promise((resolve) => therapistSocket.once('video.waiting', resolve));
    const clientJoin = await join(clientSocket, id);
    expect(clientJoin).toMatchObject({ ok: true, data: { role: 'client', admitted: false } });
    expect(await waiting).toMatchObject({ appointmentId: id, userId: client.id, role: 'client' });

    // Not admitted yet: no media signalling.
    const early = await clientSocket.timeout(5000).emitWithAck('video.routerCapabilities', { appointmentId: id });
    expect(early).toMatchObject({ ok: false, error: { code: 'VIDEO_NOT_ADMITTED' } });
    // Only the therapist admits.
    const selfAdmit = await clientSocket.timeout(5000).emitWithAck('video.admit', { appointmentId: id, userId: client.id });
    expect(selfAdmit).toMatchObject({ ok: false, error: { code: 'VIDEO_NOT_A_PARTICIPANT' } });

    const admitted = new Promise((resolve) => clientSocket.once('video.admitted', resolve));
    expect(await therapistSocket.timeout(5000).emitWithAck('video.admit', { appointmentId: id, userId: client.id })).toMatchObject({ ok: true });
    await admitted;
    const capabilities = await clientSocket.timeout(5000).emitWithAck('video.routerCapabilities', { appointmentId: id });
    expect(capabilities).toMatchObject({ ok: true, data: { rtpCapabilities: { codecs: expect.arrayContaining([expect.objectContaining({ mimeType: 'audio/opus' }), expect.objectContaining({ mimeType: 'video/VP8' })]) } } });


    // Signalling without a browser: transports, ICE restart, produce, consume (paused), pause, close.
    const ask = (socket: ClientSocket, name: string, data: object) =>
      (socket.timeout(5000).emitWithAck as unknown as (event: string, payload: object) => Promise<any>)(name, { appointmentId: id, ...data });
    const send = await ask(therapistSocket, 'video.createTransport', { direction: 'send' });
    expect(send).toMatchObject({ ok: true, data: { id: expect.any(String), iceCandidates: expect.arrayContaining([expect.objectContaining({ address: '127.0.0.1', protocol: 'udp' })]) } });
    expect(await ask(therapistSocket, 'video.restartIce', { transportId: send.data.id })).toMatchObject({ ok: true, data: { iceParameters: { usernameFragment: expect.any(String) } } });
    expect(await ask(therapistSocket, 'video.produce', { transportId: send.data.id, kind: 'audio', rtpParameters: { codecs: 'nope' } })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const announced = new Promise<any>((resolve) => clientSocket.once('video.newProducer', resolve));
    const opus = { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 1111 }] };
    const produced = await ask(therapistSocket, 'video.produce', { transportId: send.data.id, kind: 'audio', rtpParameters: opus });
    expect(produced).toMatchObject({ ok: true, data: { producerId: expect.any(String) } });
    const { producerId } = produced.data;
    expect(await announced).toMatchObject({ producerId, userId: therapist.id, kind: 'audio' });

    expect(await ask(clientSocket, 'video.createTransport', { direction: 'recv' })).toMatchObject({ ok: true });
    const consumed = await ask(clientSocket, 'video.consume', { producerId, rtpCapabilities: capabilities.ok ? capabilities.data.rtpCapabilities : {} });
    expect(consumed).toMatchObject({ ok: true, data: { producerId, kind: 'audio', paused: true, userId: therapist.id } });
    expect(await ask(clientSocket, 'video.resumeConsumer', { consumerId: consumed.data.id })).toMatchObject({ ok: true });
    // The client cannot touch the therapist's producer.
    expect(await ask(clientSocket, 'video.closeProducer', { producerId })).toMatchObject({ ok: false, error: { code: 'VIDEO_NOT_FOUND' } });

    const paused = new Promise<any>((resolve) => clientSocket.once('video.producerPaused', resolve));
    expect(await ask(therapistSocket, 'video.pauseProducer', { producerId })).toMatchObject({ ok: true });
    expect(await paused).toMatchObject({ producerId, paused: true });
    expect(await ask(therapistSocket, 'video.resumeProducer', { producerId })).toMatchObject({ ok: true });
    const consumerClosed = new Promise<any>((resolve) => clientSocket.once('video.consumerClosed', resolve));
    expect(await ask(therapistSocket, 'video.closeProducer', { producerId })).toMatchObject({ ok: true });
    expect(await consumerClosed).toMatchObject({ consumerId: consumed.data.id });
    expect(await ask(clientSocket, 'video.consume', { producerId, rtpCapabilities: {} })).toMatchObject({ ok: false, error: { code: 'VIDEO_NOT_FOUND' } });

    await therapistSocket.timeout(5000).emitWithAck('video.leave', { appointmentId: id });
    await clientSocket.timeout(5000).emitWithAck('video.leave', { appointmentId: id });
  });
});

describe('video session end', () => {
  it('records actual_end once both parties dropped and did not come back within the rejoin grace', async () => {
    const id = await appointment({ startsInMinutes: -60 });
    const [therapistSocket, clientSocket] = [await socketOf(therapist), await socketOf(client)];
    const waiting = new Promise((resolve) => therapistSocket.once('video.waiting', resolve));
    await join(therapistSocket, id);
    await join(clientSocket, id);
    await waiting;
    await therapistSocket.timeout(5000).emitWithAck('video.admit', { appointmentId: id, userId: client.id });
    const sequelize = node.platform.database.owner;
    await waitFor(async () => (await appointmentTimes(sequelize, id)).actualStart !== null, 5000, 'actual_start');

    therapistSocket.close();
    clientSocket.close();
    // Within the grace (1 s here) nothing is recorded; after it, the session is over.
    expect((await appointmentTimes(sequelize, id)).actualEnd).toBeNull();
    await waitFor(async () => (await appointmentTimes(sequelize, id)).actualEnd !== null, 10_000, 'actual_end after the grace');
  });
});

describe('video without a worker binary', () => {
  it('reports VIDEO_UNAVAILABLE (503) with the command that fixes it, and the server keeps running', async () => {
    const previous = process.env.MEDIASOUP_WORKER_BIN;
    process.env.MEDIASOUP_WORKER_BIN = '/nonexistent/mediasoup-worker';
    const other = await startTestPlatform({ VIDEO_WORKERS: '1' });
    try {
      const api = apiClient(other.url);
      const [t, c] = await Promise.all([signUp(api, other.platform.database.owner, 'therapist'), signUp(api, other.platform.database.owner, 'client')]);
      const id = await createAppointment(other.platform.database.owner, { therapistId: t.id, clientId: c.id });
      const socket = await connectSocket(other.url, { token: t.accessToken });
      sockets.push(socket);
      const reply = await join(socket, id);
      expect(reply).toMatchObject({ ok: false, error: { code: 'VIDEO_UNAVAILABLE', details: { fix: expect.stringContaining('build-worker.mjs') } } });
      expect((await api('GET', '/health')).status).toBeLessThan(500);
    } finally {
      if (previous === undefined) delete process.env.MEDIASOUP_WORKER_BIN;
      else process.env.MEDIASOUP_WORKER_BIN = previous;
      await other.close();
    }
  });
});
