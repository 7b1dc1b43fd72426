// Bundled by esbuild for the headless Chromium pages of the video tests: the real SDK over a real socket.
import { io } from 'socket.io-client';
import { createVideoClient, type VideoCall, type VideoSocket } from '@therapy-field/client-sdk/video';

interface Harness {
  events: string[];
  join(url: string, token: string, appointmentId: string, autoAdmit: boolean): Promise<string>;
  state(): string | undefined;
  stats(): Promise<{ bytesReceived: number; bytesSent: number; remoteTracks: number }>;
  drop(): void;
  mute(kind: 'audio' | 'video'): Promise<void>;
  unmute(kind: 'audio' | 'video'): Promise<void>;
  leave(): Promise<void>;
}

let socket: VideoSocket | undefined;
let call: VideoCall | undefined;
const events: string[] = [];

const harness: Harness = {
  events,
  async join(url, token, appointmentId, autoAdmit) {
    socket = io(url, { auth: { token }, transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 500 }) as VideoSocket;
    await new Promise<void>((resolve, reject) => {
      socket!.once('connect', () => resolve());
      socket!.once('connect_error', reject);
    });
    call = await createVideoClient({ socket }).join(appointmentId);
    call.on('waiting', ({ userId }) => {
      events.push(`waiting:${userId}`);
      if (autoAdmit) void call!.admit(userId);
    });
    for (const name of ['admitted', 'peerjoined', 'peerleft', 'remotemute', 'statechange', 'error', 'quality'] as const) {
      call.on(name, (event) => events.push(`${name}:${JSON.stringify(event instanceof Error ? event.message : event)}`));
    }
    return call.state;
  },
  state: () => call?.state,
  async stats() {
    const stats = await call!.getStats();
    return { bytesReceived: stats.bytesReceived, bytesSent: stats.bytesSent, remoteTracks: call!.remoteStream.getTracks().length };
  },
  drop() {
    // Closes the underlying connection as a network failure would; socket.io then reconnects.
    socket!.io.engine.close();
  },
  mute: (kind) => call!.mute(kind),
  unmute: (kind) => call!.unmute(kind),
  async leave() {
    await call?.leave();
    socket?.close();
  },
};

(globalThis as unknown as { harness: Harness }).harness = harness;
