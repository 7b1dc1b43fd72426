import { locateWorkerBinary, Sfu, WORKER_BUILD_COMMAND, type Session } from '@therapy-field/media';
import { AppError, type VideoJoinResponse } from '@therapy-field/sync';
import type { Config } from '../config/index.js';
import type { Logger } from '../logger/index.js';
import type { VideoRepository, VideoAppointment } from './video.repository.js';
import { VideoRoom } from './VideoRoom.js';
import type { Notify } from './VideoRoomTypes.js';

export interface VideoServiceOptions {
  config: Config['video'];
  repository: VideoRepository;
  notify: Notify;
  logger: Logger;
  now?: () => Date;
}

/**
 * Who may join which appointment's call and when; the rooms of this node and the SFU they run on.
 * The SFU starts on the first join, so a node that never hosts a call never runs mediasoup.
 */
export class VideoService {
  private readonly rooms = new Map<string, VideoRoom>();
  private sfuStarting?: Promise<Sfu>;
  private startedSfu?: Sfu;
  private readonly log: Logger;
  private closed = false;
  private readonly roomEndedListeners: Array<(appointmentId: string) => void> = [];

  constructor(private readonly options: VideoServiceOptions) {
    this.log = options.logger.child({ module: 'video' });
  }

  /** Checks the join rules, then enters the call (or its waiting room). */
  async join(userId: string, socketId: string, appointmentId: string): Promise<VideoJoinResponse> {
    const appointment = await this.authorizeJoin(userId, appointmentId);
    const room = await this.roomFor(appointment);
    return room.join(userId, socketId);
  }

  /** The join rules: a party of a confirmed online appointment, inside its time window. */
  async authorizeJoin(userId: string, appointmentId: string): Promise<VideoAppointment> {
    const appointment = await this.options.repository.findAppointment(appointmentId);
    if (!appointment) throw new AppError('VIDEO_NOT_FOUND', 'No such appointment');
    if (userId !== appointment.therapistId && userId !== appointment.clientId) {
      throw new AppError('VIDEO_NOT_A_PARTICIPANT', 'Only the appointment’s client and therapist may join');
    }
    if (appointment.status !== 'confirmed') throw new AppError('VIDEO_NOT_CONFIRMED', 'Only a confirmed appointment has a video session', { status: appointment.status });
    if (!appointment.isOnline) throw new AppError('VIDEO_IN_PERSON', 'This appointment is in person');
    if (appointment.telehealthWithdrawn) throw new AppError('VIDEO_CONSENT_WITHDRAWN', 'The client withdrew their consent to video sessions');
    const now = (this.options.now ?? (() => new Date()))().getTime();
    const opensAt = new Date(appointment.scheduledStart.getTime() - this.options.config.joinEarlyMinutes * 60_000);
    const closesAt = new Date(appointment.scheduledEnd.getTime() + this.options.config.graceMinutes * 60_000);
    if (now < opensAt.getTime()) throw new AppError('VIDEO_TOO_EARLY', 'The session opens shortly before its start', { opensAt: opensAt.toISOString() });
    if (now > closesAt.getTime()) throw new AppError('VIDEO_SESSION_OVER', 'The time for this session is over', { closedAt: closesAt.toISOString() });
    return appointment;
  }

  room(appointmentId: string): VideoRoom {
    const room = this.rooms.get(appointmentId);
    if (!room) throw new AppError('VIDEO_NOT_JOINED', 'Join the session first');
    return room;
  }

  /** The media session of an admitted peer on this socket. */
  session(userId: string, socketId: string, appointmentId: string): Session {
    return this.room(appointmentId).mediaSession(userId, socketId);
  }

  /** The appointments whose rooms live on this node. */
  get roomIds(): string[] {
    return [...this.rooms.keys()];
  }

  /** mediasoup worker processes running on this node (none until the first call). */
  get workerCount(): number {
    return this.startedSfu?.workerPids.length ?? 0;
  }

  /** Called after a room of this node closed (everyone left or never came back). */
  onRoomEnded(listener: (appointmentId: string) => void): void {
    this.roomEndedListeners.push(listener);
  }

  /** A socket went away: every room it was in keeps its peer's place for the grace period. */
  disconnected(socketId: string): void {
    for (const room of this.rooms.values()) room.dropped(socketId);
  }

  /** For tests and operations: the worker process hosting an appointment's media, if any. */
  workerPidOf(appointmentId: string): number | undefined {
    return this.startedSfu?.findSession(appointmentId)?.workerPid;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const room of [...this.rooms.values()]) room.close();
    const sfu = await this.sfuStarting?.catch(() => undefined);
    await sfu?.close();
  }

  private async roomFor(appointment: VideoAppointment): Promise<VideoRoom> {
    const existing = this.rooms.get(appointment.id);
    if (existing) return existing;
    const sfu = await this.sfu();
    const raced = this.rooms.get(appointment.id);
    if (raced) return raced;
    const room = new VideoRoom({
      appointmentId: appointment.id,
      therapistId: appointment.therapistId,
      clientId: appointment.clientId,
      sfu,
      notify: this.options.notify,
      rejoinGraceMs: this.options.config.rejoinGraceSeconds * 1000,
      clientAdmitted: appointment.clientAdmitted,
      logger: this.log,
    });
    this.rooms.set(appointment.id, room);
    room.on('admitted', () => void this.record(() => this.options.repository.markClientAdmitted(appointment.id), 'client_admitted_at'));
    room.on('started', () => void this.record(() => this.options.repository.markStarted(appointment.id), 'actual_start'));
    room.on('ended', () => {
      this.rooms.delete(appointment.id);
      for (const listener of this.roomEndedListeners) listener(appointment.id);
      void this.record(() => this.options.repository.markEnded(appointment.id), 'actual_end');
    });
    return room;
  }

  private async record(write: () => Promise<void>, what: string): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.log.error({ err: error, what }, 'could not record the session time');
    }
  }

  private sfu(): Promise<Sfu> {
    if (this.closed) return Promise.reject(new AppError('NOT_READY', 'Shutting down'));
    this.sfuStarting ??= this.startSfu();
    return this.sfuStarting;
  }

  private async startSfu(): Promise<Sfu> {
    const location = locateWorkerBinary();
    if (!location.path) {
      this.sfuStarting = undefined;
      this.log.warn({ reason: location.reason, fix: location.fix }, 'video unavailable');
      throw new AppError('VIDEO_UNAVAILABLE', `Video is unavailable on this server: ${location.reason}`, { fix: location.fix });
    }
    const { config } = this.options;
    try {
      const sfu = await Sfu.create(
        {
          workerBin: location.path,
          numWorkers: config.workers,
          rtcMinPort: config.rtcMinPort,
          rtcMaxPort: config.rtcMaxPort,
          listenIp: config.listenIp,
          announcedAddress: config.announcedAddress,
        },
        this.log,
      );
      sfu.on('sessionlost', ({ sessionId, workerPid }) => {
        this.log.warn({ appointmentId: sessionId, workerPid }, 'media worker died; peers rejoin on a live worker');
        this.rooms.get(sessionId)?.mediaLost();
      });
      this.startedSfu = sfu;
      return sfu;
    } catch (error) {
      this.sfuStarting = undefined;
      this.log.error({ err: error }, 'could not start the media workers');
      throw new AppError('VIDEO_UNAVAILABLE', 'Video is unavailable on this server: the media worker did not start', { fix: WORKER_BUILD_COMMAND });
    }
  }
}
