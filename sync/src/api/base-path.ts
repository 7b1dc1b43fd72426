/**
 * Where the HTTP API is served: every path of the route table is relative to it (OpenAPI `servers`).
 * `/` and its other paths are the web app's, `/socket.io` the hub's; the probes (`/health`,
 * `/ready`, `/metrics`) stay at the root, apart from any API version.
 */
export const API_BASE_PATH = '/api/v1';
