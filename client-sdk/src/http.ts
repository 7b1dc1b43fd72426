import { AppError, errorCodeForStatus, type ErrorBody, type TokenPair } from '@therapy-field/sync';

/** The tokens of the signed-in user, kept in memory (persist them yourself if you need to). */
export interface Session {
  accessToken: string;
  refreshToken: string;
  userId: string;
  role: TokenPair['user']['role'];
}

/** JSON over fetch with the bearer token; on an expired token it refreshes once and retries. */
export class HttpClient {
  session: Session | null = null;
  private refreshing?: Promise<void>;

  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch,
    private readonly onSession: (session: Session | null) => void,
  ) {}

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

  private send(method: string, path: string, body: unknown, auth: boolean): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth && this.session) headers.authorization = `Bearer ${this.session.accessToken}`;
    return this.fetchImpl(new URL(path, this.baseUrl), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  /** JSON as parsed, a PDF as its bytes, other text (the ICS feed) as it is, nothing (204) as undefined; a failure as an AppError. */
  private async parse<T>(response: Response): Promise<T> {
    if (response.ok && response.headers.get('content-type')?.startsWith('application/pdf')) return new Uint8Array(await response.arrayBuffer()) as T;
    const text = await response.text();
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
