import { Device, type types } from 'mediasoup-client';
import type { MediaKind, VideoJoinResponse, VideoNotification } from '@therapy-field/sync';
import { Emitter } from './emitter.js';
import { request, type VideoSocket } from './signalling.js';
import type { CallState, CallStats, ConnectionQuality, VideoCall as VideoCallContract, VideoCallEvents } from './VideoCallTypes.js';

type NotificationData<Name extends VideoNotification['name']> = Extract<VideoNotification, { name: Name }>['data'];

/** The media of one connection to the session: rebuilt after a drop or a server failover. */
interface MediaLink {
  send: types.Transport;
  recv: types.Transport;
  recvReady: Promise<void>;
  producers: Map<MediaKind, types.Producer>;
  consumers: Map<string, types.Consumer>;
  /** Producers this link consumes or is about to. */
  consuming: Set<string>;
  device: Device;
}

export class VideoCall extends Emitter<VideoCallEvents> implements VideoCallContract {
  readonly remoteStream = new MediaStream();
  private currentState: CallState;
  private joined: VideoJoinResponse = { role: 'client', admitted: false, peers: [], waiting: [] };
  private link?: MediaLink;
  private readonly muted = new Set<MediaKind>();
  private readonly unsubscribe: (() => void)[] = [];
  private qualityTimer?: ReturnType<typeof setInterval>;
  private lastLoss = { lost: 0, received: 0 };
  /** Serializes media (re)builds: a rejoin that arrives mid-build waits for it. */
  private building: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: VideoSocket,
    readonly appointmentId: string,
    readonly localStream: MediaStream,
    /** The SDK opened the camera and microphone, so it closes them; a caller's stream is left alone. */
    private readonly ownsLocalStream: boolean,
    qualityIntervalMs: number,
  ) {
    super();
    this.currentState = 'connecting';
    this.listen();
    this.qualityTimer = setInterval(() => void this.measureQuality(), qualityIntervalMs);
  }

  get role() {
    return this.joined.role;
  }

  get state(): CallState {
    return this.currentState;
  }

  /**
   * Joins, then builds the media once admitted; resolves when both transports exist and the tracks
   * are produced, or when waiting. Listeners are already in place, so an admission is never missed.
   */
  async start(): Promise<void> {
    try {
      this.joined = await request(this.socket, 'video.join', { appointmentId: this.appointmentId });
    } catch (error) {
      this.end();
      throw error;
    }
    const waiting = this.joined.waiting;
    if (this.joined.admitted) await this.rebuild('connecting');
    else if (this.currentState === 'connecting') this.setState('waiting');
    // Clients already waiting when the therapist joins: reported once the caller had a chance to
    // subscribe (after `join()` resolves, so after the media build), like any later arrival.
    setTimeout(() => waiting.forEach((peer) => this.emit('waiting', peer)), 0);
  }

  async admit(userId: string): Promise<void> {
    await request(this.socket, 'video.admit', { appointmentId: this.appointmentId, userId });
  }

  async mute(kind: MediaKind): Promise<void> {
    this.muted.add(kind);
    for (const track of this.localTracks(kind)) track.enabled = false;
    const producer = this.link?.producers.get(kind);
    if (producer && !producer.paused) {
      producer.pause();
      await request(this.socket, 'video.pauseProducer', { appointmentId: this.appointmentId, producerId: producer.id });
    }
  }

  async unmute(kind: MediaKind): Promise<void> {
    this.muted.delete(kind);
    for (const track of this.localTracks(kind)) track.enabled = true;
    const producer = this.link?.producers.get(kind);
    if (producer?.paused) {
      producer.resume();
      await request(this.socket, 'video.resumeProducer', { appointmentId: this.appointmentId, producerId: producer.id });
    }
  }

  isMuted(kind: MediaKind): boolean {
    return this.muted.has(kind);
  }

  async getStats(): Promise<CallStats> {
    const totals: CallStats = { bytesReceived: 0, bytesSent: 0, packetsReceived: 0, packetsLost: 0 };
    const link = this.link;
    if (!link) return totals;
    // A new link is published before its receive transport exists (see connectMedia): a call moving
    // to another worker has stats from what it has so far, not a TypeError.
    const transports = [link.recv, link.send].filter((transport): transport is types.Transport => transport !== undefined);
    for (const report of await Promise.all(transports.map((transport) => transport.getStats()))) {
      report.forEach((entry: Record<string, unknown>) => {
        if (entry.type === 'inbound-rtp') {
          totals.bytesReceived += Number(entry.bytesReceived ?? 0);
          totals.packetsReceived += Number(entry.packetsReceived ?? 0);
          totals.packetsLost += Number(entry.packetsLost ?? 0);
        } else if (entry.type === 'outbound-rtp') {
          totals.bytesSent += Number(entry.bytesSent ?? 0);
        } else if (entry.type === 'candidate-pair' && entry.nominated && typeof entry.currentRoundTripTime === 'number') {
          totals.roundTripTimeMs = entry.currentRoundTripTime * 1000;
        }
      });
    }
    return totals;
  }

  async leave(): Promise<void> {
    if (this.currentState === 'ended') return;
    await request(this.socket, 'video.leave', { appointmentId: this.appointmentId }).catch(() => undefined);
    this.end();
  }

  private end(): void {
    if (this.currentState === 'ended') return;
    this.closeLink();
    clearInterval(this.qualityTimer);
    for (const stop of this.unsubscribe.splice(0)) stop();
    if (this.ownsLocalStream) for (const track of this.localStream.getTracks()) track.stop();
    this.setState('ended');
  }

  private listen(): void {
    const on = <Name extends VideoNotification['name']>(name: Name, handler: (data: NotificationData<Name>) => void) => {
      const listener = (data: NotificationData<Name>) => {
        if (data.appointmentId === this.appointmentId) handler(data);
      };
      (this.socket.on as (event: string, listener: (data: never) => void) => void)(name, listener);
      this.unsubscribe.push(() => (this.socket.off as (event: string, listener: (data: never) => void) => void)(name, listener));
    };
    on('video.waiting', ({ userId, role }) => this.emit('waiting', { userId, role }));
    on('video.admitted', () => {
      this.emit('admitted', undefined);
      void this.rebuild('connecting');
    });
    on('video.peerJoined', ({ userId, role }) => this.emit('peerjoined', { userId, role }));
    on('video.peerLeft', ({ userId, role, reason }) => this.emit('peerleft', { userId, role, reason }));
    on('video.newProducer', ({ producerId }) => void this.consume(producerId));
    on('video.consumerClosed', ({ consumerId }) => this.dropConsumer(consumerId));
    on('video.producerPaused', ({ producerId, paused }) => {
      const consumer = [...(this.link?.consumers.values() ?? [])].find((candidate) => candidate.producerId === producerId);
      if (consumer) this.emit('remotemute', { kind: consumer.kind, muted: paused });
    });
    on('video.rejoin', () => void this.rejoin());
    on('video.ended', () => this.end());
    // A dropped connection: socket.io reconnects with a new socket; join the same session again.
    const reconnected = () => void this.rejoin();
    this.socket.io.on('reconnect', reconnected);
    this.unsubscribe.push(() => this.socket.io.off('reconnect', reconnected));
  }

  private async rejoin(): Promise<void> {
    if (this.currentState === 'ended') return;
    this.setState('reconnecting');
    try {
      this.joined = await request(this.socket, 'video.join', { appointmentId: this.appointmentId });
      if (this.joined.admitted) await this.rebuild('reconnecting');
      else this.setState('waiting');
    } catch (error) {
      this.emit('error', error as Error);
    }
  }

  private rebuild(state: CallState): Promise<void> {
    this.building = this.building.then(async () => {
      if (this.currentState === 'ended') return;
      this.setState(state);
      this.closeLink();
      try {
        this.link = await this.connectMedia();
        this.setState('connected');
      } catch (error) {
        this.emit('error', error as Error);
      }
    });
    return this.building;
  }

  private async connectMedia(): Promise<MediaLink> {
    const appointmentId = this.appointmentId;
    const { rtpCapabilities } = await request(this.socket, 'video.routerCapabilities', { appointmentId });
    const device = await Device.factory();
    await device.load({ routerRtpCapabilities: rtpCapabilities as unknown as types.RtpCapabilities });

    const sendInfo = await request(this.socket, 'video.createTransport', { appointmentId, direction: 'send' });
    const send = device.createSendTransport(sendInfo as unknown as types.TransportOptions);
    this.wireTransport(send);
    send.on('produce', ({ kind, rtpParameters }, callback, errback) => {
      request(this.socket, 'video.produce', { appointmentId, transportId: send.id, kind, rtpParameters: rtpParameters as unknown as Record<string, unknown> }).then(
        ({ producerId }) => callback({ id: producerId }),
        errback,
      );
    });

    let markReady!: () => void;
    const recvReady = new Promise<void>((resolve) => (markReady = resolve));
    const link: MediaLink = { send, recv: undefined as unknown as types.Transport, recvReady, producers: new Map(), consumers: new Map(), consuming: new Set(), device };
    this.link = link;
    const recvInfo = await request(this.socket, 'video.createTransport', { appointmentId, direction: 'recv' });
    link.recv = device.createRecvTransport(recvInfo as unknown as types.TransportOptions);
    this.wireTransport(link.recv);
    markReady();

    for (const track of this.localStream.getTracks()) {
      const kind = track.kind as MediaKind;
      if (!device.canProduce(kind)) continue;
      const producer = await send.produce({ track, stopTracks: false, ...(kind === 'audio' ? { codecOptions: { opusDtx: true } } : {}) });
      link.producers.set(kind, producer);
      if (this.muted.has(kind)) {
        producer.pause();
        await request(this.socket, 'video.pauseProducer', { appointmentId, producerId: producer.id });
      }
    }
    return link;
  }

  private wireTransport(transport: types.Transport): void {
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      request(this.socket, 'video.connectTransport', { appointmentId: this.appointmentId, transportId: transport.id, dtlsParameters: dtlsParameters as unknown as Record<string, unknown> }).then(
        () => callback(),
        errback,
      );
    });
    transport.on('connectionstatechange', (state) => {
      // ICE can recover from a changed network path without a new transport.
      if (state === 'failed' || state === 'disconnected') void this.restartIce(transport);
    });
  }

  private async restartIce(transport: types.Transport): Promise<void> {
    try {
      const { iceParameters } = await request(this.socket, 'video.restartIce', { appointmentId: this.appointmentId, transportId: transport.id });
      await transport.restartIce({ iceParameters: iceParameters as unknown as types.IceParameters });
    } catch {
      // The transport is gone (a rejoin is under way); the rebuild replaces it.
    }
  }

  private async consume(producerId: string): Promise<void> {
    const link = this.link;
    // A producer can be announced twice (when produced, and again when our receive transport
    // appears): consume it once per link.
    if (!link || link.consuming.has(producerId)) return;
    link.consuming.add(producerId);
    await link.recvReady;
    try {
      const info = await request(this.socket, 'video.consume', {
        appointmentId: this.appointmentId,
        producerId,
        rtpCapabilities: link.device.recvRtpCapabilities as unknown as Record<string, unknown>,
      });
      if (this.link !== link) return;
      const consumer = await link.recv.consume({ id: info.id, producerId, kind: info.kind, rtpParameters: info.rtpParameters as unknown as types.RtpParameters });
      link.consumers.set(consumer.id, consumer);
      this.remoteStream.addTrack(consumer.track);
      this.emit('remotetrack', { track: consumer.track, userId: info.userId, added: true });
      if (info.producerPaused) this.emit('remotemute', { kind: info.kind, muted: true });
      await request(this.socket, 'video.resumeConsumer', { appointmentId: this.appointmentId, consumerId: consumer.id });
    } catch (error) {
      if (this.link === link) this.emit('error', error as Error);
    }
  }

  private dropConsumer(consumerId: string): void {
    const consumer = this.link?.consumers.get(consumerId);
    if (!consumer) return;
    this.link!.consumers.delete(consumerId);
    this.link!.consuming.delete(consumer.producerId);
    consumer.close();
    this.remoteStream.removeTrack(consumer.track);
    this.emit('remotetrack', { track: consumer.track, userId: '', added: false });
  }

  private closeLink(): void {
    const link = this.link;
    if (!link) return;
    this.link = undefined;
    for (const consumerId of [...link.consumers.keys()]) {
      const consumer = link.consumers.get(consumerId)!;
      this.remoteStream.removeTrack(consumer.track);
    }
    link.send.close();
    link.recv?.close();
  }

  private async measureQuality(): Promise<void> {
    if (this.currentState !== 'connected') return;
    try {
      const stats = await this.getStats();
      const lost = stats.packetsLost - this.lastLoss.lost;
      const received = stats.packetsReceived - this.lastLoss.received;
      this.lastLoss = { lost: stats.packetsLost, received: stats.packetsReceived };
      const packetLossPercent = lost + received > 0 ? (100 * Math.max(0, lost)) / (lost + received) : 0;
      const rtt = stats.roundTripTimeMs ?? 0;
      const level: ConnectionQuality['level'] = packetLossPercent < 2 && rtt < 300 ? 'good' : packetLossPercent < 8 && rtt < 800 ? 'fair' : 'poor';
      this.emit('quality', { level, packetLossPercent, roundTripTimeMs: stats.roundTripTimeMs });
    } catch {
      // Stats are best effort: a transport being replaced has none.
    }
  }

  private localTracks(kind: MediaKind): MediaStreamTrack[] {
    return kind === 'audio' ? this.localStream.getAudioTracks() : this.localStream.getVideoTracks();
  }

  private setState(state: CallState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.emit('statechange', state);
  }
}
