import { EventEmitter } from 'node:events';
import { errors, type types } from 'mediasoup';
import { AppError, ValidationError } from '@therapy-field/sync';
import { mediaCodecs, type MediaLogger, type WebRtcListenOptions } from './MediaTypes.js';
import type { WorkerPool } from './WorkerPoolTypes.js';
import type {
  ConsumerInfo,
  ProducerInfo,
  Session as SessionContract,
  SessionCloseReason,
  SessionEvents,
  TransportDirection,
  WebRtcTransportInfo,
} from './SessionTypes.js';

interface PeerMedia {
  transports: Map<string, types.WebRtcTransport>;
  producers: Map<string, types.Producer>;
  consumers: Map<string, types.Consumer>;
}

export interface SessionOptions {
  id: string;
  pool: WorkerPool;
  listen: WebRtcListenOptions;
  logger: MediaLogger;
}

export class Session implements SessionContract {
  private readonly peers = new Map<string, PeerMedia>();
  private readonly emitter = new EventEmitter();
  private closedReason?: SessionCloseReason;

  private constructor(
    readonly id: string,
    readonly workerPid: number,
    private readonly router: types.Router,
    private readonly listen: WebRtcListenOptions,
    private readonly log: MediaLogger,
  ) {
    router.once('workerclose', () => this.closeWith('worker-died'));
  }

  static async create({ id, pool, listen, logger }: SessionOptions): Promise<Session> {
    const { router, worker } = await pool.createRouter({ mediaCodecs });
    return new Session(id, worker.pid, router, listen, logger.child({ module: 'media.session', sessionId: id, workerPid: worker.pid }));
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.router.rtpCapabilities;
  }

  get peerIds(): readonly string[] {
    return [...this.peers.keys()];
  }

  addPeer(peerId: string): void {
    this.assertOpen();
    if (!this.peers.has(peerId)) this.peers.set(peerId, { transports: new Map(), producers: new Map(), consumers: new Map() });
  }

  removePeer(peerId: string): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    this.peers.delete(peerId);
    // Closing a transport closes its producers, and with them the other peer's consumers of them.
    for (const transport of peer.transports.values()) transport.close();
    if (this.peers.size === 0) this.closeWith('empty');
  }

  async createWebRtcTransport(peerId: string, direction: TransportDirection): Promise<WebRtcTransportInfo> {
    const peer = this.peer(peerId);
    const { listenIp = '0.0.0.0', announcedAddress } = this.listen;
    const transport = await this.router.createWebRtcTransport({
      listenInfos: [
        { protocol: 'udp', ip: listenIp, announcedAddress },
        { protocol: 'tcp', ip: listenIp, announcedAddress },
      ],
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: 1_000_000,
      appData: { direction },
    });
    peer.transports.set(transport.id, transport);
    transport.observer.once('close', () => peer.transports.delete(transport.id));
    return { id: transport.id, iceParameters: transport.iceParameters, iceCandidates: transport.iceCandidates, dtlsParameters: transport.dtlsParameters };
  }

  async connectTransport(peerId: string, transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
    await invalidAsValidation(this.transport(peerId, transportId).connect({ dtlsParameters }));
  }

  async restartIce(peerId: string, transportId: string): Promise<types.IceParameters> {
    return this.transport(peerId, transportId).restartIce();
  }

  async produce(peerId: string, transportId: string, kind: types.MediaKind, rtpParameters: types.RtpParameters): Promise<ProducerInfo> {
    const peer = this.peer(peerId);
    const transport = this.transport(peerId, transportId);
    if (transport.appData.direction !== 'send') throw new ValidationError('Produce on a send transport');
    const producer = await invalidAsValidation(transport.produce({ kind, rtpParameters }));
    peer.producers.set(producer.id, producer);
    producer.observer.once('close', () => peer.producers.delete(producer.id));
    return { id: producer.id, peerId, kind, paused: producer.paused };
  }

  producersOfOthers(peerId: string): ProducerInfo[] {
    return [...this.peers.entries()]
      .filter(([otherId]) => otherId !== peerId)
      .flatMap(([otherId, other]) => [...other.producers.values()].map((producer) => ({ id: producer.id, peerId: otherId, kind: producer.kind, paused: producer.paused })));
  }

  async consume(peerId: string, producerId: string, rtpCapabilities: types.RtpCapabilities): Promise<ConsumerInfo> {
    const peer = this.peer(peerId);
    const owner = [...this.peers.entries()].find(([otherId, other]) => otherId !== peerId && other.producers.has(producerId));
    if (!owner) throw new AppError('VIDEO_NOT_FOUND', 'No such producer in this session');
    const transport = [...peer.transports.values()].find((candidate) => candidate.appData.direction === 'recv');
    if (!transport) throw new AppError('VIDEO_NOT_FOUND', 'Create a receive transport first');
    if ([...peer.consumers.values()].some((existing) => existing.producerId === producerId)) {
      throw new AppError('CONFLICT', 'You already consume this producer');
    }
    if (!this.router.canConsume({ producerId, rtpCapabilities })) throw new AppError('VIDEO_CANNOT_CONSUME', 'Your device cannot decode this stream');
    const consumer = await invalidAsValidation(transport.consume({ producerId, rtpCapabilities, paused: true }));
    peer.consumers.set(consumer.id, consumer);
    const forget = () => {
      if (peer.consumers.delete(consumer.id)) this.emitter.emit('consumerclose', { peerId, consumerId: consumer.id } satisfies SessionEvents['consumerclose']);
    };
    consumer.once('producerclose', forget);
    consumer.once('transportclose', forget);
    consumer.on('producerpause', () => this.emitter.emit('producerpause', { peerId, producerId, paused: true }));
    consumer.on('producerresume', () => this.emitter.emit('producerpause', { peerId, producerId, paused: false }));
    return {
      id: consumer.id,
      producerId,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
      peerId: owner[0],
      paused: true,
      producerPaused: consumer.producerPaused,
    };
  }

  async resumeConsumer(peerId: string, consumerId: string): Promise<void> {
    const consumer = this.peer(peerId).consumers.get(consumerId);
    if (!consumer) throw new AppError('VIDEO_NOT_FOUND', 'No such consumer');
    await consumer.resume();
  }

  async pauseProducer(peerId: string, producerId: string): Promise<void> {
    await this.producer(peerId, producerId).pause();
  }

  async resumeProducer(peerId: string, producerId: string): Promise<void> {
    await this.producer(peerId, producerId).resume();
  }

  closeProducer(peerId: string, producerId: string): void {
    this.producer(peerId, producerId).close();
  }

  on<Name extends keyof SessionEvents>(name: Name, listener: (event: SessionEvents[Name]) => void): void {
    this.emitter.on(name, listener);
  }

  close(): void {
    this.closeWith('closed');
  }

  private closeWith(reason: SessionCloseReason): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    for (const peer of this.peers.values()) for (const transport of peer.transports.values()) transport.close();
    this.peers.clear();
    this.router.close();
    this.log.info({ reason }, 'session closed');
    this.emitter.emit('close', reason);
    this.emitter.removeAllListeners();
  }

  private assertOpen(): void {
    if (this.closedReason) throw new AppError('VIDEO_REJOIN_REQUIRED', 'The session moved; join again');
  }

  private peer(peerId: string): PeerMedia {
    this.assertOpen();
    const peer = this.peers.get(peerId);
    if (!peer) throw new AppError('VIDEO_NOT_JOINED', 'Join the session first');
    return peer;
  }

  private transport(peerId: string, transportId: string): types.WebRtcTransport {
    const transport = this.peer(peerId).transports.get(transportId);
    if (!transport) throw new AppError('VIDEO_NOT_FOUND', 'No such transport');
    return transport;
  }

  private producer(peerId: string, producerId: string): types.Producer {
    const producer = this.peer(peerId).producers.get(producerId);
    if (!producer) throw new AppError('VIDEO_NOT_FOUND', 'No such producer');
    return producer;
  }
}

/** mediasoup rejects malformed or unsupported parameters with these: the caller's mistake, a 400. */
async function invalidAsValidation<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof TypeError || error instanceof errors.UnsupportedError) throw new ValidationError(error.message);
    throw error;
  }
}
