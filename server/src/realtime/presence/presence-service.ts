import { z } from 'zod';
import { AppError, type PresenceState } from '@therapy-field/sync';
import type { Logger } from '../../logger/index.js';
import type { PlatformMetrics } from '../../metrics/index.js';
import type { AccessRepository } from '../access.repository.js';
import type { HubServer, HubSocket } from '../hub-types.js';
import { presenceRoom, userRoom } from '../rooms.js';
import type { SocketEvents } from '../socket-events.js';
import type { DeviceStatus, PresenceDevice, PresenceStore } from './presence-types.js';

const presenceSetSchema = z.object({ status: z.enum(['online', 'away']) }).strict();
const presenceAvailableSchema = z.object({ availableNow: z.boolean() }).strict();
const presenceSubscribeSchema = z.object({ userIds: z.array(z.uuid()).min(1).max(200) }).strict();
const typingSchema = z.object({ peerId: z.uuid(), typing: z.boolean() }).strict();

/**
 * Presence, "available now" and typing over sockets. Each node beats for its own sockets every
 * third of the TTL and sweeps devices whose node stopped beating, telling watchers the change.
 */
export class PresenceService {
  private readonly devices = new Map<string, PresenceDevice>();
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly io: HubServer,
    private readonly store: PresenceStore,
    private readonly access: AccessRepository,
    private readonly metrics: PlatformMetrics,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(() => void this.beat(), Math.max(50, Math.floor(store.ttlMs / 3)));
    this.timer.unref();
  }

  /**
   * At the handshake: counts the socket as an online device of its user, unless they have
   * `maxDevices` open already on any node. Without a working store the socket is let in (the
   * heartbeat adds it once the store is back): a cap is not worth an outage. A socket let in that
   * never connects (its client left mid-handshake) is not beaten and stops counting after the TTL.
   */
  async admit(socket: HubSocket, maxDevices: number): Promise<boolean> {
    try {
      const { admitted, changed } = await this.store.addDevice(socket.data.userId, socket.id, maxDevices);
      this.announce(changed);
      return admitted;
    } catch (error) {
      this.log.warn({ err: error }, 'presence admission failed');
      return true;
    }
  }

  /** For a socket that `admit` let in; from now on this node heart-beats it until it disconnects. */
  attach(socket: HubSocket): void {
    const { userId } = socket.data;
    this.devices.set(socket.id, { userId, deviceId: socket.id, status: 'online' });
  }

  register(events: SocketEvents): void {
    events.onDisconnect(async (socket) => {
      if (!this.devices.delete(socket.id) || this.closed) return;
      this.announce(await this.store.removeDevice(socket.data.userId, socket.id));
    });
    events.on('presence.set', presenceSetSchema, async (socket, { status }) => {
      await this.setDevice(socket, status);
      return (await this.store.states([socket.data.userId]))[0]!;
    });
    events.on('presence.available', presenceAvailableSchema, async (socket, { availableNow }) => {
      if (socket.data.role !== 'therapist') throw new AppError('FORBIDDEN', 'Only therapists have an "available now" flag');
      const state = await this.store.setAvailableNow(socket.data.userId, availableNow);
      this.announce(state);
      return state;
    });
    events.on('presence.subscribe', presenceSubscribeSchema, async (socket, { userIds }) => {
      const related = await this.access.relatedAmong(socket.data.userId, [...new Set(userIds)]);
      if (related.length !== new Set(userIds).size) throw new AppError('NOT_RELATED', 'You may only watch people you are in care with');
      await socket.join(related.map(presenceRoom));
      return this.store.states(related);
    });
    events.on('typing', typingSchema, async (socket, { peerId, typing }) => {
      const { userId } = socket.data;
      if (!(await this.access.mayMessage(userId, peerId))) throw new AppError('NOT_RELATED', 'No message thread with this user');
      this.io.to(userRoom(peerId)).emit('typing', { userId, typing });
      this.metrics.eventsOut.inc({ event: 'typing' });
      return null;
    });
  }

  /** Each user's presence across every device and node. */
  states(userIds: string[]): Promise<PresenceState[]> {
    return this.store.states(userIds);
  }

  /** Says goodbye for this node's sockets, so they show offline at once rather than after the TTL. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const devices = [...this.devices.values()];
    this.devices.clear();
    for (const device of devices) this.announce(await this.store.removeDevice(device.userId, device.deviceId).catch(() => undefined));
    await this.store.close();
  }

  private async setDevice(socket: HubSocket, status: DeviceStatus): Promise<void> {
    const device = { userId: socket.data.userId, deviceId: socket.id, status };
    this.devices.set(socket.id, device);
    try {
      this.announce(await this.store.setDevice(device.userId, device.deviceId, status));
    } catch (error) {
      this.log.warn({ err: error }, 'presence update failed');
    }
  }

  private async beat(): Promise<void> {
    try {
      await this.store.heartbeat([...this.devices.values()]);
      for (const state of await this.store.sweep()) this.announce(state);
    } catch (error) {
      this.log.warn({ err: error }, 'presence heartbeat failed');
    }
  }

  private announce(state: PresenceState | undefined): void {
    if (!state) return;
    this.io.to(presenceRoom(state.userId)).emit('presence', state);
    this.metrics.eventsOut.inc({ event: 'presence' });
  }
}
