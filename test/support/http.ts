import { API_BASE_PATH } from '@therapy-field/sync';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Paths served at the root of the origin, outside the API version. */
const rootPaths = /^\/(health|ready|metrics|socket\.io)(\/|\?|$)/;

/**
 * The URL of an API path as the contract writes it (`/me`, `/auth/login?x=1`): under `API_BASE_PATH`,
 * except the probes and paths already under `/api/`.
 */
export function apiUrl(baseUrl: string, path: string): URL {
  const served = rootPaths.test(path) || path.startsWith('/api/') ? path : API_BASE_PATH + path;
  return new URL(served, baseUrl);
}

/** A tiny JSON client for tests: real HTTP against a running node, with paths as the contract writes them (see apiUrl). */
export function apiClient(baseUrl: string) {
  return async function request<T = any>(
    method: string,
    path: string,
    options: { body?: unknown; token?: string; headers?: Record<string, string>; rawBody?: string } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(apiUrl(baseUrl, path), {
      method,
      headers,
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
}

export type ApiRequest = ReturnType<typeof apiClient>;

/** An OpenAPI document as tests read it: each operation is on the operation's own server if it names one, else the document's. */
export interface ApiDocument {
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, { servers?: Array<{ url: string }> } & Record<string, any>>>;
}

/** The URL of a path (parameters filled in) of an operation of the document. */
export function documentedUrl(baseUrl: string, document: ApiDocument, operation: { servers?: Array<{ url: string }> }, path: string): URL {
  const server = (operation.servers ?? document.servers)[0]!.url.replace(/\/$/, '');
  return new URL(server + path, baseUrl);
}
