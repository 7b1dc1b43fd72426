import { EventEmitter } from 'node:events';
import type { Session, Sfu } from '@therapy-field/media';
import { AppError, type VideoJoinResponse, type VideoPeer, type VideoRole } from '@therapy-field/sync';
import type { Logger } from '../logger/index.js';
import type { Notify, RoomPeer, VideoRoom as VideoRoomContract, VideoRoomEvents } from './VideoRoomTypes.js';

export interface VideoRoomOptions {
  appointmentId: string;
  therapistId: string;
  clientId: string;
  sfu: Sfu;
  notify: Notify;
  rejoinGraceMs: number;
  /** Admitted earlier, in a room of this call that closed or lived on another node. */
  clientAdmitted: boolean;
  logger: Logger;
}

export class VideoRoom implements VideoRoomContract {
  readonly appointmentId: string;
  private readonly peers: Map<string, RoomPeer>;
  private readonly emitter = new EventEmitter();
  private session?: Session;
  private bothIn = false;
  private isClosed = false;
  private readonly log: Logger;

  constructor(private readonly options: VideoRoomOptions) {
    this.appointmentId = options.appointmentId;
    this.log = options.logger.child({ module: 'video.room', appointmentId: options.appointmentId });
    this.peers = new Map<string, RoomPeer>([
      [options.therapistId, { userId: options.therapistId, role: 'therapist', admitted: true, inMedia: false }],
      [options.clientId, { userId: options.clientId, role: 'client', admitted: options.clientAdmitted, inMedia: false }],
    ]);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  async join(userId: string, socketId: string): Promise<VideoJoinResponse> {
    const peer = this.requireParty(userId);
    if (peer.socketId && peer.socketId !== socketId) this.detachMedia(peer);
    clearTimeout(peer.dropTimer);
    peer.dropTimer = undefined;
    peer.socketId = socketId;
    if (peer.admitted) await this.enterMedia(peer);
    else {
      const therapist = this.partyOfRole('therapist');
      if (therapist.socketId) this.options.notify(therapist.socketId, 'video.waiting', { appointmentId: this.appointmentId, userId, role: peer.role });
    }
    return {
      role: peer.role,
      admitted: peer.admitted,
      peers: this.others(userId).filter((other) => other.inMedia).map(publicPeer),
      waiting: peer.role === 'therapist' ? this.others(userId).filter((other) => other.socketId && !other.admitted).map(publicPeer) : [],
    };
  }

  async admit(byUserId: string, socketId: string, clientId: string): Promise<void> {
    const therapist = this.requireSocket(byUserId, socketId);
    if (therapist.role !== 'therapist') throw new AppError('VIDEO_NOT_A_PARTICIPANT', 'Only the therapist admits');
    const client = this.peers.get(clientId);
    if (!client || client.role !== 'client') throw new AppError('VIDEO_NOT_FOUND', 'No such client in this appointment');
    if (!client.admitted) this.emitter.emit('admitted');
    client.admitted = true;
    if (!client.socketId) return;
    await this.enterMedia(client);
    this.options.notify(client.socketId, 'video.admitted', { appointmentId: this.appointmentId });
  }

  mediaSession(userId: string, socketId: string): Session {
    const peer = this.requireSocket(userId, socketId);
    if (!peer.admitted) throw new AppError('VIDEO_NOT_ADMITTED', 'Wait for the therapist to admit you');
    if (!peer.inMedia || !this.session || this.session.closed) throw new AppError('VIDEO_REJOIN_REQUIRED', 'Join the session again');
    return this.session;
  }

  announceProducer(userId: string, producer: { id: string; kind: 'audio' | 'video'; paused: boolean }): void {
    for (const other of this.others(userId)) {
      if (other.inMedia && other.socketId) {
        this.options.notify(other.socketId, 'video.newProducer', { appointmentId: this.appointmentId, producerId: producer.id, userId, kind: producer.kind, paused: producer.paused });
      }
    }
  }

  announceExistingProducers(userId: string): void {
    const peer = this.peers.get(userId);
    if (!peer?.socketId || !this.session) return;
    for (const producer of this.session.producersOfOthers(userId)) {
      this.options.notify(peer.socketId, 'video.newProducer', {
        appointmentId: this.appointmentId,
        producerId: producer.id,
        userId: producer.peerId,
        kind: producer.kind,
        paused: producer.paused,
      });
    }
  }

  leave(userId: string, socketId: string): void {
    const peer = this.requireSocket(userId, socketId);
    this.goodbye(peer, 'left');
  }

  dropped(socketId: string): void {
    const peer = [...this.peers.values()].find((candidate) => candidate.socketId === socketId);
    if (!peer) return;
    const wasInMedia = peer.inMedia;
    this.detachMedia(peer);
    peer.socketId = undefined;
    if (wasInMedia) this.tellOthers(peer, 'dropped');
    this.log.info({ userId: peer.userId }, 'peer dropped; keeping its place for the rejoin grace period');
    peer.dropTimer = setTimeout(() => {
      peer.dropTimer = undefined;
      this.closeIfEmpty();
    }, this.options.rejoinGraceMs);
    peer.dropTimer.unref();
  }

  mediaLost(): void {
    this.session = undefined;
    for (const peer of this.peers.values()) {
      if (!peer.inMedia) continue;
      peer.inMedia = false;
      if (peer.socketId) this.options.notify(peer.socketId, 'video.rejoin', { appointmentId: this.appointmentId, reason: 'worker-died' });
    }
  }

  on<Name extends keyof VideoRoomEvents>(name: Name, listener: () => void): void {
    this.emitter.on(name, listener);
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const peer of this.peers.values()) {
      clearTimeout(peer.dropTimer);
      if (peer.socketId) this.options.notify(peer.socketId, 'video.ended', { appointmentId: this.appointmentId });
      peer.socketId = undefined;
      peer.inMedia = false;
    }
    this.session?.close();
    this.session = undefined;
    this.emitter.emit('ended');
    this.emitter.removeAllListeners();
  }

  private async enterMedia(peer: RoomPeer): Promise<void> {
    const session = await this.currentSession();
    session.addPeer(peer.userId);
    const wasInMedia = peer.inMedia;
    peer.inMedia = true;
    if (!wasInMedia) {
      for (const other of this.others(peer.userId)) {
        if (other.inMedia && other.socketId) this.options.notify(other.socketId, 'video.peerJoined', { appointmentId: this.appointmentId, ...publicPeer(peer) });
      }
    }
    const everyoneIn = [...this.peers.values()].every((party) => party.inMedia);
    if (everyoneIn && !this.bothIn) {
      this.bothIn = true;
      this.emitter.emit('started');
    }
  }

  private async currentSession(): Promise<Session> {
    if (this.session && !this.session.closed) return this.session;
    const session = await this.options.sfu.session(this.appointmentId);
    if (session !== this.session) {
      this.session = session;
      session.on('consumerclose', ({ peerId, consumerId }) => {
        const socketId = this.peers.get(peerId)?.socketId;
        if (socketId) this.options.notify(socketId, 'video.consumerClosed', { appointmentId: this.appointmentId, consumerId });
      });
      session.on('producerpause', ({ peerId, producerId, paused }) => {
        const socketId = this.peers.get(peerId)?.socketId;
        if (socketId) this.options.notify(socketId, 'video.producerPaused', { appointmentId: this.appointmentId, producerId, paused });
      });
    }
    return session;
  }

  /** Frees the peer's media (its transports, producers and the other side's consumers of them). */
  private detachMedia(peer: RoomPeer): void {
    if (peer.inMedia) this.session?.removePeer(peer.userId);
    peer.inMedia = false;
    this.bothIn = false;
  }

  private goodbye(peer: RoomPeer, reason: 'left' | 'dropped'): void {
    const wasInMedia = peer.inMedia;
    this.detachMedia(peer);
    peer.socketId = undefined;
    if (wasInMedia) this.tellOthers(peer, reason);
    this.closeIfEmpty();
  }

  private tellOthers(peer: RoomPeer, reason: 'left' | 'dropped'): void {
    for (const other of this.others(peer.userId)) {
      if (other.socketId) this.options.notify(other.socketId, 'video.peerLeft', { appointmentId: this.appointmentId, ...publicPeer(peer), reason });
    }
  }

  private closeIfEmpty(): void {
    const anyoneLeft = [...this.peers.values()].some((peer) => peer.socketId || peer.dropTimer);
    if (!anyoneLeft) this.close();
  }

  private requireParty(userId: string): RoomPeer {
    const peer = this.peers.get(userId);
    if (!peer) throw new AppError('VIDEO_NOT_A_PARTICIPANT', 'Only the appointment’s client and therapist may join');
    return peer;
  }

  private requireSocket(userId: string, socketId: string): RoomPeer {
    const peer = this.requireParty(userId);
    if (peer.socketId !== socketId) throw new AppError('VIDEO_NOT_JOINED', 'Join the session first');
    return peer;
  }

  private partyOfRole(role: VideoRole): RoomPeer {
    return [...this.peers.values()].find((peer) => peer.role === role)!;
  }

  private others(userId: string): RoomPeer[] {
    return [...this.peers.values()].filter((peer) => peer.userId !== userId);
  }
}

function publicPeer({ userId, role }: RoomPeer): VideoPeer {
  return { userId, role };
}
