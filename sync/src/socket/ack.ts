import type { ErrorBody } from '../errors.js';

/** Every client→server request is acknowledged with its result or an error of the HTTP shape. */
export type AckResponse<Data> = { ok: true; data: Data } | { ok: false; error: ErrorBody['error'] };

export type Ack<Data> = (response: AckResponse<Data>) => void;
