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
  /** The app wants the socket open (between `connect()` and `disconnect()`). */
  private wanted = false;
  /** Reconnects in a row that ended refused or closed by the server; resets on connect. */
  private failures = 0;
  private retryTimer?: ReturnType<typeof setTimeout>;

  constructor(url: string, private readonly http: HttpClient, private readonly requestTimeoutMs: number) {
    this.socket = io(url, {
      autoConnect: false,
      transports: ['websocket'],
      reconnectionDelay: 250,
      reconnectionDelayMax: 5_000,
      auth: (callback) => callback({ token: http.session?.accessToken ?? '', ...(this.lastSeq !== null ? { lastSeq: this.lastSeq } : {}) }),
    });
    this.socket.on('connect', () => {
      this.failures = 0;
      this.emitLocal('connected');
    });
    this.socket.on('disconnect', (reason) => {
      this.emitLocal('disconnected', reason);
      // The server ended the session the socket was opened with (its token expired, or the account's
      // sessions were revoked): a fresh token opens a new one, which resumes after `lastSeq`.
      if (reason === 'io server disconnect') this.retry(true);
    });
    this.socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      // A refused handshake is not retried by the manager: an expired or revoked token is
      // refreshed first; a full account (or a failing server) is tried again later.
      const code = error.data?.code;
      if (code === 'TOKEN_EXPIRED' || code === 'TOKEN_INVALID') this.retry(true);
      else if (code === 'TOO_MANY_CONNECTIONS' || code === 'INTERNAL' || code === 'NOT_READY') this.retry(false);
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
    this.wanted = true;
    if (!this.socket.connected && this.http.session) this.socket.connect();
  }

  disconnect(): void {
    this.wanted = false;
    clearTimeout(this.retryTimer);
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

  /**
   * Connects again after a backoff that grows with each failure in a row (none for the first),
   * with a refreshed token when `refresh`; a failed refresh means signed out: no retry.
   */
  private retry(refresh: boolean): void {
    clearTimeout(this.retryTimer);
    const delay = this.failures === 0 ? 0 : Math.min(250 * 2 ** this.failures, 5_000);
    this.failures += 1;
    this.retryTimer = setTimeout(() => {
      if (!this.wanted || !this.http.session) return;
      (refresh ? this.http.refresh() : Promise.resolve()).then(
        () => this.connect(),
        () => undefined,
      );
    }, delay);
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

