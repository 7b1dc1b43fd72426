import { API_BASE_PATH, AppError, errorCodeForStatus, type ErrorBody, type TokenPair } from '@therapy-field/sync';

/** The tokens of the signed-in user, kept in memory (persist them yourself if you need to). */
export interface Session {
  accessToken: string;
  refreshToken: string;
  userId: string;
  role: TokenPair['user']['role'];
}

/**
 * An HTTP request that got no answer: no network, the host unreachable, the connection dropped,
 * or a browser refusing it (CORS). `cause` is what fetch threw. Unlike an `AppError`, the server
 * may or may not have done the work: retry only what is safe to repeat.
 */
export class NetworkError extends Error {
  readonly code = 'NETWORK_ERROR';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

/** An HTTP request that got no full answer within the client's `httpTimeoutMs`; like a NetworkError, the work may have been done. */
export class TimeoutError extends Error {
  readonly code = 'TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`No answer within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/** JSON over fetch with the bearer token, to the API's paths under `API_BASE_PATH`; on an expired token it refreshes once and retries. */
export class HttpClient {
  session: Session | null = null;
  private refreshing?: Promise<void>;

  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch,
    private readonly onSession: (session: Session | null) => void,
    private readonly timeoutMs?: number,
  ) {}

  /** Rejects with an `AppError` the server answered, a `NetworkError` when none came, a `TimeoutError` when it came too late. */
  async request<T>(method: string, path: string, body?: unknown, options: { auth?: boolean } = {}): Promise<T> {
    const auth = options.auth ?? true;
    const response = await this.send(method, path, body, auth);
    if (response.status === 401 && auth && this.session) {
      const error = (await response.clone().json().catch(() => null)) as ErrorBody | null;
      if (error?.error.code === 'TOKEN_EXPIRED' || error?.error.code === 'TOKEN_INVALID') {
        await this.refresh();
        return this.parse<T>(await this.send(method, path, body, auth));
      }
    }
    return this.parse<T>(response);
  }

  /** Trades the refresh token for new tokens; concurrent callers share one refresh. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      if (!this.session) throw new AppError('UNAUTHENTICATED', 'Not signed in');
      const pair = await this.parse<TokenPair>(await this.send('POST', '/auth/refresh', { refreshToken: this.session.refreshToken }, false));
      this.setSession(pair);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  setSession(pair: TokenPair | null): void {
    this.session = pair ? { accessToken: pair.accessToken, refreshToken: pair.refreshToken, userId: pair.user.id, role: pair.user.role } : null;
    this.onSession(this.session);
  }

  private async send(method: string, path: string, body: unknown, auth: boolean): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth && this.session) headers.authorization = `Bearer ${this.session.accessToken}`;
    const signal = this.timeoutMs === undefined ? undefined : AbortSignal.timeout(this.timeoutMs);
    try {
      return await this.fetchImpl(new URL(API_BASE_PATH + path, this.baseUrl), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (error) {
      throw this.transportError(error);
    }
  }

  /** What fetch threw: our timeout's abort as a TimeoutError, anything else as a NetworkError. */
  private transportError(error: unknown): Error {
    if (this.timeoutMs !== undefined && error instanceof Error && error.name === 'TimeoutError') return new TimeoutError(this.timeoutMs);
    return new NetworkError(error instanceof Error ? error.message : 'The request failed', { cause: error });
  }

  /** JSON as parsed, other text (the ICS feed) as it is, nothing (204) as undefined; a failure as an AppError. */
  private async parse<T>(response: Response): Promise<T> {
    // The body arrives after the headers: the connection can drop, or the timeout strike, while it does.
    const text = await response.text().catch((error: unknown) => {
      throw this.transportError(error);
    });
    if (!response.ok) throw errorFromResponse(response.status, text);
    if (!text) return undefined as T;
    return (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
  }
}

function errorFromResponse(status: number, text: string): AppError {
  try {
    const body = JSON.parse(text) as Partial<ErrorBody>;
    if (body.error?.code) return AppError.fromBody(body as ErrorBody);
  } catch {
    // not JSON (e.g. a proxy's error page): falls through to the code its status stands for
  }
  return new AppError(errorCodeForStatus(status), `HTTP ${status}`);
}

/**
 * A path with each interpolated value URL-encoded:
 * path`/therapists/${id}/slots` → `/therapists/a%2Fb/slots` for id `a/b`.
 */
export function path(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce((joined, part, index) => joined + encodeURIComponent(values[index - 1]!) + part);
}

/** `path?key=value&…` from a typed query object; undefined values are left out. */
export function withQuery(target: string, query: object = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${target}?${search}` : target;
}
