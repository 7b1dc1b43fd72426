import type { PresenceState } from '@therapy-field/sync';
import { aggregateStatus, type DeviceStatus, type PresenceDevice, type PresenceStore } from './presence-types.js';

interface Device {
  status: DeviceStatus;
  expiresAt: number;
}

/** Presence for a single node: everything in this process. */
export class MemoryPresenceStore implements PresenceStore {
  private readonly users = new Map<string, Map<string, Device>>();
  private readonly available = new Set<string>();

  constructor(readonly ttlMs: number) {}

  async setDevice(userId: string, deviceId: string, status: DeviceStatus): Promise<PresenceState | undefined> {
    return this.changing(userId, () => {
      const devices = this.users.get(userId) ?? new Map<string, Device>();
      devices.set(deviceId, { status, expiresAt: Date.now() + this.ttlMs });
      this.users.set(userId, devices);
    });
  }

  async addDevice(userId: string, deviceId: string, maxDevices: number): Promise<{ admitted: boolean; changed?: PresenceState }> {
    const now = Date.now();
    const others = [...(this.users.get(userId) ?? [])].filter(([id, device]) => id !== deviceId && device.expiresAt > now);
    if (others.length >= maxDevices) return { admitted: false };
    return { admitted: true, changed: await this.setDevice(userId, deviceId, 'online') };
  }

  async removeDevice(userId: string, deviceId: string): Promise<PresenceState | undefined> {
    return this.changing(userId, () => this.forget(userId, deviceId));
  }

  async heartbeat(devices: PresenceDevice[]): Promise<void> {
    const expiresAt = Date.now() + this.ttlMs;
    for (const { userId, deviceId, status } of devices) {
      const userDevices = this.users.get(userId) ?? new Map<string, Device>();
      userDevices.set(deviceId, { status, expiresAt });
      this.users.set(userId, userDevices);
    }
  }

  async sweep(): Promise<PresenceState[]> {
    const now = Date.now();
    const changed: PresenceState[] = [];
    for (const [userId, devices] of [...this.users]) {
      const expired = [...devices].filter(([, device]) => device.expiresAt <= now).map(([deviceId]) => deviceId);
      if (expired.length === 0) continue;
      const state = this.changing(userId, () => expired.forEach((deviceId) => this.forget(userId, deviceId)));
      if (state) changed.push(state);
    }
    return changed;
  }

  async setAvailableNow(userId: string, availableNow: boolean): Promise<PresenceState> {
    if (availableNow) this.available.add(userId);
    else this.available.delete(userId);
    return this.state(userId);
  }

  async states(userIds: string[]): Promise<PresenceState[]> {
    return userIds.map((userId) => this.state(userId));
  }

  async close(): Promise<void> {
    this.users.clear();
  }

  private state(userId: string): PresenceState {
    const devices = this.users.get(userId)?.values() ?? [];
    const status = aggregateStatus([...devices].map((device) => device.status));
    return { userId, status, availableNow: status !== 'offline' && this.available.has(userId) };
  }

  private changing(userId: string, change: () => void): PresenceState | undefined {
    const before = this.state(userId).status;
    change();
    const after = this.state(userId);
    return after.status === before ? undefined : after;
  }

  private forget(userId: string, deviceId: string): void {
    const devices = this.users.get(userId);
    devices?.delete(deviceId);
    if (devices?.size === 0) this.users.delete(userId);
  }
}
