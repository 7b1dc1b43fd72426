import { createSocket, type Socket } from 'node:dgram';
import { createWorker, type types } from 'mediasoup';
import { locateWorkerBinary, mediaCodecs } from '@therapy-field/media';

/**
 * How many concurrent 1:1 sessions one mediasoup worker carries. Each session is a router with two
 * peers; each peer sends opus audio (50 packets/s) and 640×480 VP8-sized video (30 fps, ~600 kbit/s,
 * 3 packets a frame) into a PlainTransport, and receives the other peer's two streams through
 * consumers on another PlainTransport: 4 producers and 4 consumers per session. The RTP is
 * synthetic (right sizes, rates and VP8 keyframe descriptors), generated and counted in this
 * process. Sessions are added in steps until packets are lost (> 1 %), the worker's CPU passes 90 %
 * of a core, or the generator cannot keep its rate; the whole run stays under about 2.5 minutes.
 */
const STEPS = [10, 25, 50, 75, 100, 125, 150, 200, 250];
const MEASURE_MS = 4000;
const SETTLE_MS = 1000;
const BUDGET_MS = 150_000;

const AUDIO = { payloadType: 100, packetsPerSecond: 50, bytes: 120, clock: 48000 };
const VIDEO = { payloadType: 101, framesPerSecond: 30, packetsPerFrame: 3, bytes: 850, clock: 90000 };

interface Stream {
  kind: 'audio' | 'video';
  ssrc: number;
  port: number;
  seq: number;
  timestamp: number;
  sent: number;
}

export default async function run() {
  const started = Date.now();
  const workerBin = locateWorkerBinary().path;
  if (!workerBin) return { skipped: 'no mediasoup-worker binary; run node media/worker-build/build-worker.mjs' };
  const worker = await createWorker({ workerBin, logLevel: 'error', rtcMinPort: 20000, rtcMaxPort: 29999 });
  const generator = createSocket('udp4');
  const sink = createSocket('udp4');
  await Promise.all([bind(generator), bind(sink)]);
  sink.setRecvBufferSize(8 * 1024 * 1024);
  generator.setSendBufferSize(8 * 1024 * 1024);

  const received = new Map<number, number>();
  sink.on('message', (packet) => {
    if (packet.length < 12) return;
    const ssrc = packet.readUInt32BE(8);
    received.set(ssrc, (received.get(ssrc) ?? 0) + 1);
  });

  const epoch = Date.now();
  const streams: Stream[] = [];
  const consumerSsrcs: number[] = [];
  const routers: types.Router[] = [];
  let nextSsrc = 10_000;

  async function addSession() {
    const router = await worker.createRouter({ mediaCodecs });
    routers.push(router);
    const peers = [];
    for (let peer = 0; peer < 2; peer++) {
      const send = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
      const producers = [];
      for (const kind of ['audio', 'video'] as const) {
        const ssrc = nextSsrc++;
        const codec = kind === 'audio'
          ? { mimeType: 'audio/opus', payloadType: AUDIO.payloadType, clockRate: AUDIO.clock, channels: 2 }
          : { mimeType: 'video/VP8', payloadType: VIDEO.payloadType, clockRate: VIDEO.clock };
        producers.push(await send.produce({ kind, rtpParameters: { codecs: [codec], encodings: [{ ssrc }] } }));
        // A new stream owes nothing for the time before it existed.
        streams.push({ kind, ssrc, port: send.tuple.localPort, seq: 0, timestamp: 0, sent: owedSoFar(kind) });
      }
      peers.push(producers);
    }
    for (let peer = 0; peer < 2; peer++) {
      const recv = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
      await recv.connect({ ip: '127.0.0.1', port: (sink.address()).port });
      for (const producer of peers[1 - peer]!) {
        const consumer = await recv.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
        consumerSsrcs.push(consumer.rtpParameters.encodings![0]!.ssrc!);
      }
    }
  }

  const owedSoFar = (kind: Stream['kind']) =>
    Math.floor(((Date.now() - epoch) / 1000) * (kind === 'audio' ? AUDIO.packetsPerSecond : VIDEO.framesPerSecond * VIDEO.packetsPerFrame));
  // Paced sending: every 10 ms, each stream sends what its rate owes since the start.
  const pacer = setInterval(() => {
    const elapsed = (Date.now() - epoch) / 1000;
    for (const stream of streams) {
      if (stream.kind === 'audio') {
        while (stream.sent < elapsed * AUDIO.packetsPerSecond) sendPacket(generator, stream, AUDIO.payloadType, AUDIO.bytes, true, true);
      } else {
        while (stream.sent < elapsed * VIDEO.framesPerSecond * VIDEO.packetsPerFrame) {
          const index = stream.sent % VIDEO.packetsPerFrame;
          sendPacket(generator, stream, VIDEO.payloadType, VIDEO.bytes, index === 0, index === VIDEO.packetsPerFrame - 1);
        }
      }
    }
  }, 10);

  const steps: Array<Record<string, number | string>> = [];
  let limit: string | undefined;
  try {
    for (const target of STEPS) {
      if (Date.now() - started > BUDGET_MS) {
        limit = 'time budget';
        break;
      }
      while (routers.length < target) await addSession();
      await sleep(SETTLE_MS);

      const sentBefore = totalSent(streams);
      const receivedBefore = totalReceived(received, consumerSsrcs);
      const usageBefore = await worker.getResourceUsage();
      const windowStart = Date.now();
      await sleep(MEASURE_MS);
      const windowMs = Date.now() - windowStart;
      const usageAfter = await worker.getResourceUsage();
      const sent = totalSent(streams) - sentBefore;
      const got = totalReceived(received, consumerSsrcs) - receivedBefore;

      const expectedRate = streams.length * (AUDIO.packetsPerSecond + VIDEO.framesPerSecond * VIDEO.packetsPerFrame) / 2;
      const cpu = (usageAfter.ru_utime + usageAfter.ru_stime - usageBefore.ru_utime - usageBefore.ru_stime) / windowMs;
      const lossPercent = sent > 0 ? Math.max(0, (100 * (sent - got)) / sent) : 0;
      const generatorPercent = (100 * sent) / ((expectedRate * windowMs) / 1000);
      const step = {
        sessions: routers.length,
        producers: streams.length,
        consumers: consumerSsrcs.length,
        packetsPerSecondIn: Math.round((sent * 1000) / windowMs),
        packetsPerSecondOut: Math.round((got * 1000) / windowMs),
        megabitsPerSecondIn: round((sent * avgBytes() * 8) / windowMs / 1000),
        workerCpuPercentOfCore: round(cpu * 100),
        lossPercent: round(lossPercent),
        generatorOnRatePercent: round(generatorPercent),
      };
      steps.push(step);
      // A generator off its rate (late, then bursting) means this process, not the worker, is the
      // limit: its loss is then not the worker's.
      if (generatorPercent < 95 || generatorPercent > 105) limit = 'the generator and sink (this process, same machine) could not keep the rate';
      else if (lossPercent > 1) limit = 'packet loss > 1 %';
      else if (cpu > 0.9) limit = 'worker CPU > 90 % of a core';
      if (limit) break;
    }
  } finally {
    clearInterval(pacer);
    worker.close();
    generator.close();
    sink.close();
  }

  const lastGood = [...steps].reverse().find((step) => Number(step.lossPercent) <= 1 && Number(step.workerCpuPercentOfCore) <= 90);
  const cpuPerSession = lastGood ? Number(lastGood.workerCpuPercentOfCore) / Number(lastGood.sessions) : undefined;
  return {
    perSession: '2 peers × (opus 50 pkt/s + VP8 640×480 ~30 fps ≈ 600 kbit/s, 90 pkt/s); 4 producers + 4 consumers',
    steps,
    stoppedBecause: limit ?? 'all steps passed',
    maxSessionsWithoutLoss: lastGood?.sessions ?? 0,
    consumersAtThatPoint: lastGood?.consumers ?? 0,
    workerCpuPercentPerSession: cpuPerSession === undefined ? null : round(cpuPerSession),
    /** Linear in CPU, for when the generator, not the worker, stopped the run. */
    projectedSessionsAt90PercentCpu: cpuPerSession ? Math.floor(90 / cpuPerSession) : null,
    anchor: "mediasoup's guidance: ~500 consumers per worker (≈125 such 1:1 sessions)",
    durationSeconds: Math.round((Date.now() - started) / 1000),
  };
}

function sendPacket(socket: Socket, stream: Stream, payloadType: number, bytes: number, frameStart: boolean, marker: boolean) {
  const packet = Buffer.alloc(bytes);
  packet[0] = 0x80;
  packet[1] = (marker ? 0x80 : 0) | payloadType;
  packet.writeUInt16BE(stream.seq & 0xffff, 2);
  packet.writeUInt32BE(stream.timestamp >>> 0, 4);
  packet.writeUInt32BE(stream.ssrc, 8);
  if (stream.kind === 'video') {
    // VP8 payload descriptor (S=1 on a frame's first packet) and, there, a keyframe header (P=0),
    // so consumers start forwarding at once.
    packet[12] = frameStart ? 0x10 : 0x00;
    packet[13] = 0x00;
    if (marker) stream.timestamp += VIDEO.clock / VIDEO.framesPerSecond;
  } else {
    stream.timestamp += AUDIO.clock / AUDIO.packetsPerSecond;
  }
  stream.seq++;
  stream.sent++;
  socket.send(packet, stream.port, '127.0.0.1');
}

function avgBytes() {
  const audio = AUDIO.packetsPerSecond * AUDIO.bytes;
  const video = VIDEO.framesPerSecond * VIDEO.packetsPerFrame * VIDEO.bytes;
  return (audio + video) / (AUDIO.packetsPerSecond + VIDEO.framesPerSecond * VIDEO.packetsPerFrame);
}

function totalSent(streams: Stream[]) {
  return streams.reduce((sum, stream) => sum + stream.sent, 0);
}

function totalReceived(received: Map<number, number>, ssrcs: number[]) {
  return ssrcs.reduce((sum, ssrc) => sum + (received.get(ssrc) ?? 0), 0);
}

function bind(socket: Socket) {
  return new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number) => Math.round(value * 10) / 10;
