import type { Socket } from 'socket.io-client';
import { AppError, type ClientToServerEvents, type ServerToClientEvents, type VideoRequestData, type VideoRequestName, type VideoResponse } from '@therapy-field/sync';

export type VideoSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Sends one signalling request and resolves with its response, or rejects with the server's AppError. */
export async function request<Name extends VideoRequestName>(socket: VideoSocket, name: Name, data: VideoRequestData<Name>, timeoutMs = 10_000): Promise<VideoResponse<Name>> {
  const emit = socket.timeout(timeoutMs).emitWithAck as unknown as (event: string, payload: unknown) => Promise<
    { ok: true; data: VideoResponse<Name> } | { ok: false; error: { code: never; message: string; details?: unknown } }
  >;
  const reply = await emit.call(socket.timeout(timeoutMs), name, data);
  if (!reply.ok) throw AppError.fromBody({ error: reply.error });
  return reply.data;
}
