import type { PresenceState, PresenceStatus } from '@therapy-field/sync';

export type DeviceStatus = Exclude<PresenceStatus, 'offline'>;

export interface PresenceDevice {
  userId: string;
  deviceId: string;
  status: DeviceStatus;
}

/**
 * Who is online, across every device and node. A device is a socket; it stays counted while its
 * node keeps heart-beating it, so a node that dies silently lets its devices expire after `ttlMs`.
 * Mutations return the user's new state when it changed (to tell those watching), else undefined.
 */
export interface PresenceStore {
  readonly ttlMs: number;
  setDevice(userId: string, deviceId: string, status: DeviceStatus): Promise<PresenceState | undefined>;
  /**
   * Counts a new device as online, unless the user already has `maxDevices` others that are not
   * expired (on any node); then nothing changes and `admitted` is false.
   */
  addDevice(userId: string, deviceId: string, maxDevices: number): Promise<{ admitted: boolean; changed?: PresenceState }>;
  removeDevice(userId: string, deviceId: string): Promise<PresenceState | undefined>;
  /** Keeps these devices alive for another `ttlMs`. */
  heartbeat(devices: PresenceDevice[]): Promise<void>;
  /** Forgets devices whose heartbeats stopped; returns the states that changed. */
  sweep(): Promise<PresenceState[]>;
  /** A therapist's flag; reported as true only while they are not offline. */
  setAvailableNow(userId: string, availableNow: boolean): Promise<PresenceState>;
  states(userIds: string[]): Promise<PresenceState[]>;
  close(): Promise<void>;
}

/** A user's status from their devices: online if any is active, away if all idle, else offline. */
export function aggregateStatus(devices: Iterable<DeviceStatus>): PresenceStatus {
  let status: PresenceStatus = 'offline';
  for (const device of devices) {
    if (device === 'online') return 'online';
    status = 'away';
  }
  return status;
}
