import { io, type Socket } from 'socket.io-client';
import { AppError, type AckResponse, type ChangeEvent, type ClientToServerEvents, type ServerToClientEvents } from '@therapy-field/sync';
import type { HttpClient } from './http.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What `on()` can listen to: the server's events plus the connection's own state. */
export interface LiveEvents extends ServerToClientEvents {
  connected: () => void;
  disconnected: (reason: string) => void;
}

/**
 * The socket to the hub: reconnects by itself, resumes with `lastSeq`, hands each `change` to
 * listeners once and in order (dropping seqs it has, fetching a gap with `changes.since`).
 */
export class LiveConnection {
  readonly socket: ClientSocket;
  private lastSeq: number | null = null;
  private readonly listeners = new Map<string, Set<(...args: any[]) => void>>();
  private catchingUp?: Promise<void>;

  constructor(url: string, private readonly http: HttpClient, private readonly requestTimeoutMs: number) {
    this.socket = io(url, {
      autoConnect: false,
      transports: ['websocket'],
      reconnectionDelay: 250,
      reconnectionDelayMax: 5_000,
      auth: (callback) => callback({ token: http.session?.accessToken ?? '', ...(this.lastSeq !== null ? { lastSeq: this.lastSeq } : {}) }),
    });
    this.socket.on('connect', () => this.emitLocal('connected'));
    this.socket.on('disconnect', (reason) => this.emitLocal('disconnected', reason));
    this.socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      // An expired token: refresh, then let the manager retry with the new one.
      if (error.data?.code === 'TOKEN_EXPIRED') void this.http.refresh().then(() => this.socket.connect(), () => undefined);
    });
    this.socket.on('change', (event) => void this.receive(event));
    this.socket.on('changes.head', ({ lastSeq }) => void this.behind(lastSeq));
    this.socket.on('resync', () => {
      this.lastSeq = null;
      this.emitLocal('resync');
    });
    this.socket.on('error', (error) => this.emitLocal('error', error));
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  connect(): void {
    if (!this.socket.connected && this.http.session) this.socket.connect();
  }

  disconnect(): void {
    this.socket.disconnect();
  }

  on<E extends keyof LiveEvents>(event: E, handler: LiveEvents[E]): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(handler as (...args: any[]) => void);
    return () => set.delete(handler as (...args: any[]) => void);
  }

  /** A request acknowledged by the server, as `{ ok, data | error }`; throws the AppError. */
  async request<E extends 'sync.pull' | 'sync.push' | 'changes.since'>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<any> {
    const response = (await (this.socket.timeout(this.requestTimeoutMs) as any).emitWithAck(event, payload)) as AckResponse<unknown>;
    if (!response.ok) throw AppError.fromBody({ error: response.error });
    return response.data;
  }

  private async receive(event: ChangeEvent): Promise<void> {
    await this.catchingUp;
    if (this.lastSeq !== null && event.seq <= this.lastSeq) return;
    if (this.lastSeq !== null && event.seq > this.lastSeq + 1) {
      await this.fillGap(this.lastSeq);
      if (this.lastSeq !== null && event.seq <= this.lastSeq) return;
    }
    this.deliver(event);
  }

  /** The server's head is past what this device has: live events were lost on the way. */
  private async behind(head: number): Promise<void> {
    await this.catchingUp;
    if (this.lastSeq !== null && head > this.lastSeq) await this.fillGap(this.lastSeq);
  }

  private async fillGap(afterSeq: number): Promise<void> {
    this.catchingUp = this.catchUp(afterSeq);
    await this.catchingUp;
    this.catchingUp = undefined;
  }

  /** A gap in the stream: fetch what is missing; if that fails, tell listeners to resync. */
  private async catchUp(afterSeq: number): Promise<void> {
    try {
      const { resync, changes } = await this.request('changes.since', { afterSeq });
      if (resync) {
        this.lastSeq = null;
        this.emitLocal('resync');
        return;
      }
      for (const change of changes as ChangeEvent[]) if (change.seq > (this.lastSeq ?? 0)) this.deliver(change);
    } catch {
      this.lastSeq = null;
      this.emitLocal('resync');
    }
  }

  private deliver(event: ChangeEvent): void {
    this.lastSeq = event.seq;
    this.emitLocal('change', event);
  }

  private emitLocal<E extends keyof LiveEvents>(event: E, ...args: Parameters<LiveEvents[E]>): void {
    for (const handler of this.listeners.get(event) ?? []) (handler as (...a: unknown[]) => void)(...args);
  }
}

