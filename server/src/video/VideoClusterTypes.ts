import type { VideoRequestData, VideoRequestName, VideoResponse } from '@therapy-field/sync';
import type { VideoCaller } from './video.signalling.js';

/**
 * Where a socket's video request runs: on this node when it owns the appointment's session (or
 * when there is only one node), else relayed to the owner node, whose mediasoup worker carries the media.
 */
export interface VideoRouting {
  request<Name extends VideoRequestName>(name: Name, caller: VideoCaller, data: VideoRequestData<Name>): Promise<VideoResponse<Name>>;
  /** A socket of this node disconnected: its places in every session (here or on an owner node) wait for a rejoin. */
  disconnected(socketId: string): void;
  close(): Promise<void>;
}
