import type { VideoSocket } from './signalling.js';
import { VideoCall } from './VideoCall.js';
import type { JoinOptions, VideoCall as VideoCallContract, VideoClient } from './VideoCallTypes.js';

export type { CallState, CallStats, ConnectionQuality, JoinOptions, VideoCall, VideoCallEvents, VideoClient } from './VideoCallTypes.js';
export type { VideoSocket } from './signalling.js';
export type { MediaKind, VideoPeer, VideoRole } from '@therapy-field/sync';
export { AppError } from '@therapy-field/sync';

/**
 * Video calls for booked online appointments, over an already connected platform socket.
 *
 * @example
 * client.live.connect(); // the platform client's socket (`@therapy-field/client-sdk`)
 * const video = createVideoClient({ socket: client.live.socket });
 * const call = await video.join(appointmentId);
 * localVideo.srcObject = call.localStream;
 * remoteVideo.srcObject = call.remoteStream;
 * call.on('waiting', ({ userId }) => call.admit(userId)); // therapist: let the client in
 * call.on('quality', ({ level }) => showBars(level));
 * await call.mute('audio');
 * await call.leave();
 */
export function createVideoClient({ socket }: { socket: VideoSocket }): VideoClient {
  return {
    /**
     * Joins the appointment's call: resolves once this device is in the call and sending, or — for a
     * client the therapist has not admitted yet — in the waiting room (`state === 'waiting'`).
     * Rejects with the server's AppError (e.g. `VIDEO_TOO_EARLY`, `VIDEO_NOT_A_PARTICIPANT`).
     *
     * @example
     * const call = await createVideoClient({ socket }).join(appointmentId);
     */
    async join(appointmentId: string, options: JoinOptions = {}): Promise<VideoCallContract> {
      const localStream = options.localStream ?? (await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } }));
      const call = new VideoCall(socket, appointmentId, localStream, !options.localStream, options.qualityIntervalMs ?? 2000);
      await call.start();
      return call;
    },
  };
}
