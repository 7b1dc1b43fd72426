import { afterEach, describe, expect, it } from 'vitest';
import { Sfu, type MediaLogger } from '@therapy-field/media';
import { requireMediasoupWorker } from '../support/prerequisites.js';
import { waitFor } from '../support/wait.js';

const silent: MediaLogger = { info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silent };

let sfu: Sfu | undefined;
afterEach(async () => {
  await sfu?.close();
  sfu = undefined;
});

describe('Sfu', () => {
  const create = (numWorkers: number) => Sfu.create({ workerBin: requireMediasoupWorker(), numWorkers, listenIp: '127.0.0.1' }, silent);

  it('spreads sessions over workers by load and reuses the open session for the same id', async () => {
    sfu = await create(2);
    const [a, b] = await Promise.all([sfu.session('a'), sfu.session('b')]);
    expect(new Set([a.workerPid, b.workerPid]).size).toBe(2);
    expect(await sfu.session('a')).toBe(a);
    const [c1, c2] = await Promise.all([sfu.session('c'), sfu.session('c')]);
    expect(c1).toBe(c2);
  });

  it('closes a session (and its router) when its last peer leaves', async () => {
    sfu = await create(1);
    const session = await sfu.session('s');
    session.addPeer('therapist');
    session.addPeer('client');
    const transport = await session.createWebRtcTransport('client', 'recv');
    expect(transport.iceCandidates[0]).toMatchObject({ address: '127.0.0.1' });
    session.removePeer('therapist');
    expect(session.closed).toBe(false);
    session.removePeer('client');
    expect(session.closed).toBe(true);
    expect(sfu.findSession('s')).toBeUndefined();
    expect((await sfu.session('s')) === session).toBe(false);
    session.close();
  });

  it('offers opus, VP8 and H264', async () => {
    sfu = await create(1);
    const session = await sfu.session('codecs');
    expect(session.rtpCapabilities.codecs?.map((codec) => codec.mimeType)).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264']));
  });

  it('replaces a dead worker and reports its sessions lost; they reopen on a live worker', async () => {
    sfu = await create(1);
    const session = await sfu.session('x');
    const lost: string[] = [];
    sfu.on('sessionlost', ({ sessionId }) => lost.push(sessionId));
    const deadPid = session.workerPid;
    process.kill(deadPid, 'SIGKILL');
    await waitFor(() => lost.includes('x'), 10_000, 'sessionlost');
    expect(session.closed).toBe(true);
    const again = await sfu.session('x');
    expect(again.workerPid).not.toBe(deadPid);
    await waitFor(() => sfu!.workerPids.length === 1 && !sfu!.workerPids.includes(deadPid), 10_000, 'a replacement worker');
  });

  it('close() is idempotent', async () => {
    sfu = await create(1);
    await Promise.all([sfu.close(), sfu.close()]);
    await sfu.close();
    await expect(sfu.session('late')).rejects.toThrow(/closed/);
  });
});
