import type { Socket } from 'socket.io-client';
import { AppError, type AckResponse, type ClientToServerEvents, type PresenceState, type RoomRef, type ServerToClientEvents } from '@therapy-field/sync';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type HubRequest = 'room.join' | 'room.leave' | 'presence.set' | 'presence.available' | 'presence.subscribe';
type AckData<E extends HubRequest> = Parameters<ClientToServerEvents[E]>[1] extends (response: AckResponse<infer Data>) => void ? Data : never;

/** Who is online among the people one watches, kept current by the hub's `presence` events. */
export interface PresenceWatch {
  /** The latest state of each watched user (filled once the subscription is acknowledged). */
  readonly states: ReadonlyMap<string, PresenceState>;
  /** Stops watching (the hub keeps no subscription for a socket that does not ask again). */
  stop(): void;
}

/**
 * Rooms and presence over the live socket. What the app joined or watches is remembered and
 * asked for again on every reconnect (a new socket is in no room but its own user's), so a
 * dashboard stays in its room across network drops without doing anything.
 */
export class RoomsAndPresence {
  private readonly rooms = new Map<string, RoomRef>();
  private readonly watches = new Set<{ userIds: string[]; onChange: (state: PresenceState) => void; states: Map<string, PresenceState> }>();
  private status: 'online' | 'away' | undefined;
  private availableNow: boolean | undefined;

  constructor(private readonly socket: ClientSocket, private readonly requestTimeoutMs: number) {
    socket.on('connect', () => void this.restore());
    socket.on('presence', (state) => {
      for (const watch of this.watches) {
        if (!watch.userIds.includes(state.userId)) continue;
        watch.states.set(state.userId, state);
        watch.onChange(state);
      }
    });
  }

  async join(room: RoomRef): Promise<void> {
    this.rooms.set(roomKey(room), room);
    if (this.socket.connected) await this.request('room.join', room);
  }

  async leave(room: RoomRef): Promise<void> {
    this.rooms.delete(roomKey(room));
    if (this.socket.connected) await this.request('room.leave', room);
  }

  async setStatus(status: 'online' | 'away'): Promise<void> {
    this.status = status;
    if (this.socket.connected) await this.request('presence.set', { status });
  }

  async setAvailableNow(availableNow: boolean): Promise<void> {
    this.availableNow = availableNow;
    if (this.socket.connected) await this.request('presence.available', { availableNow });
  }

  async watch(userIds: string[], onChange: (state: PresenceState) => void): Promise<PresenceWatch> {
    const watch = { userIds: [...userIds], onChange, states: new Map<string, PresenceState>() };
    this.watches.add(watch);
    if (this.socket.connected) this.receiveAll(watch, await this.request('presence.subscribe', { userIds: watch.userIds }));
    return { states: watch.states, stop: () => void this.watches.delete(watch) };
  }

  /** After a reconnect: the rooms, presence and watches of the previous socket, again. */
  private async restore(): Promise<void> {
    try {
      await Promise.all([
        ...[...this.rooms.values()].map((room) => this.request('room.join', room)),
        ...(this.status ? [this.request('presence.set', { status: this.status })] : []),
        ...(this.availableNow !== undefined ? [this.request('presence.available', { availableNow: this.availableNow })] : []),
        ...[...this.watches].map(async (watch) => this.receiveAll(watch, await this.request('presence.subscribe', { userIds: watch.userIds }))),
      ]);
    } catch {
      // The socket dropped again meanwhile: the next connect restores.
    }
  }

  private receiveAll(watch: { states: Map<string, PresenceState>; onChange: (state: PresenceState) => void }, states: PresenceState[]): void {
    for (const state of states) {
      watch.states.set(state.userId, state);
      watch.onChange(state);
    }
  }

  private async request<E extends HubRequest>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<AckData<E>> {
    const emit = this.socket.timeout(this.requestTimeoutMs) as unknown as { emitWithAck(event: string, payload: unknown): Promise<AckResponse<AckData<E>>> };
    const response = await emit.emitWithAck(event, payload);
    if (!response.ok) throw AppError.fromBody({ error: response.error });
    return response.data;
  }
}

const roomKey = (room: RoomRef) => `${room.type}:${room.id}`;
