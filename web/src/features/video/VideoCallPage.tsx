import { AppError } from '@therapy-field/client-sdk';
import { createVideoClient, type CallState, type ConnectionQuality, type VideoCall, type VideoPeer } from '@therapy-field/client-sdk/video';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Alert } from '../../components/Alert';
import { Page } from '../../components/Page';
import { useSignedIn } from '../../lib/platform';
import { formatTime } from '../../lib/time';
import { DeviceCheck } from './DeviceCheck';
import { VideoTile } from './VideoTile';
import './video.css';

/** Waits until the live socket is connected (the call's signalling runs over it). */
function liveSocketReady(client: ReturnType<typeof useSignedIn>['client']): Promise<void> {
  client.live.connect();
  if (client.live.connected) return Promise.resolve();
  return new Promise((resolve) => {
    const off = client.on('connected', () => {
      off();
      resolve();
    });
  });
}

/**
 * One appointment's video call: the device check, then the waiting room (client) or the call with
 * the waiting list (therapist, who admits), then both videos with mute, camera and leave. Drops and
 * server failovers are the SDK's to recover; the page shows the state it reports.
 */
export function VideoCallPage() {
  const { t, i18n } = useTranslation('video');
  const { appointmentId = '' } = useParams();
  const { client, session } = useSignedIn();
  const isTherapist = session.role === 'therapist';
  const [call, setCall] = useState<VideoCall | null>(null);
  const [state, setState] = useState<CallState | null>(null);
  const [joining, setJoining] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [waiting, setWaiting] = useState<VideoPeer[]>([]);
  const [remoteVideo, setRemoteVideo] = useState(false);
  const [remoteTracks, setRemoteTracks] = useState(0);
  const [muted, setMuted] = useState({ audio: false, video: false });
  const [quality, setQuality] = useState<ConnectionQuality['level'] | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const current = useRef<VideoCall | null>(null);

  useEffect(() => () => void current.current?.leave(), []);
  useEffect(() => {
    if (!isTherapist || waiting.length === 0) return;
    client.api.messages.conversations().then(
      ({ conversations }) => setNames(Object.fromEntries(conversations.flatMap((c) => (c.peerName ? [[c.peerId, c.peerName]] : [])))),
      () => undefined,
    );
  }, [client, isTherapist, waiting.length]);

  const join = async (localStream: MediaStream) => {
    setJoining(true);
    setError(null);
    try {
      await liveSocketReady(client);
      const joined = await createVideoClient({ socket: client.live.socket }).join(appointmentId, { localStream });
      current.current = joined;
      joined.on('statechange', (next) => setState(next));
      joined.on('waiting', (peer) => setWaiting((list) => (list.some((p) => p.userId === peer.userId) ? list : [...list, peer])));
      joined.on('peerjoined', (peer) => setWaiting((list) => list.filter((p) => p.userId !== peer.userId)));
      joined.on('remotetrack', () => {
        setRemoteVideo(joined.remoteStream.getVideoTracks().length > 0);
        setRemoteTracks((count) => count + 1);
      });
      joined.on('remotemute', ({ kind, muted: off }) => kind === 'video' && setRemoteVideo(!off));
      joined.on('quality', ({ level }) => setQuality(level));
      setState(joined.state);
      setRemoteVideo(joined.remoteStream.getVideoTracks().length > 0);
      setCall(joined);
    } catch (failure) {
      localStream.getTracks().forEach((track) => track.stop());
      setError(describe(failure));
    } finally {
      setJoining(false);
    }
  };

  const describe = (failure: unknown): string => {
    if (failure instanceof AppError && failure.code === 'VIDEO_TOO_EARLY') {
      const opensAt = (failure.details as { opensAt?: string } | undefined)?.opensAt;
      if (opensAt) return t('tooEarly', { time: formatTime(opensAt, i18n.language) });
    }
    if (failure instanceof AppError) {
      const key = `errors.${failure.code}`;
      const text = t(key);
      if (text !== key) return text;
    }
    return t('errors.generic', { ns: 'common' });
  };

  const toggle = async (kind: 'audio' | 'video') => {
    if (!call) return;
    if (call.isMuted(kind)) await call.unmute(kind);
    else await call.mute(kind);
    setMuted({ audio: call.isMuted('audio'), video: call.isMuted('video') });
  };

  const leave = async () => {
    await call?.leave();
    call?.localStream.getTracks().forEach((track) => track.stop());
    current.current = null;
    setState('ended');
  };

  if (state === 'ended') {
    return (
      <Page title={t('title')}>
        <Alert kind="info">{t('ended')}</Alert>
        <Link className="button-link secondary" to="/">{t('backHome')}</Link>
      </Page>
    );
  }

  return (
    <Page title={t('title')} actions={state && <p className="call-state" role="status">{t(`state.${state}`)}{quality && state === 'connected' ? ` · ${t(`quality.${quality}`)}` : ''}</p>}>
      {error && <Alert kind="error">{error}</Alert>}
      {!call && <DeviceCheck joinLabel={isTherapist ? t('startAsTherapist') : t('joinAsClient')} busy={joining} onJoin={(stream) => void join(stream)} />}
      {call && state === 'waiting' && (
        <section className="card waiting-room" aria-labelledby="waiting-room-title">
          <h2 id="waiting-room-title">{t('waitingRoom')}</h2>
          <p>{t('waitingForTherapist')}</p>
          <VideoTile stream={call.localStream} label={t('you')} self />
        </section>
      )}
      {call && state !== 'waiting' && (
        <>
          {isTherapist && (
            <section className="card" aria-labelledby="waiting-list-title">
              <h2 id="waiting-list-title">{t('waitingClients')}</h2>
              {waiting.length === 0 ? (
                <p className="muted">{remoteVideo ? '' : t('nobodyYet')}</p>
              ) : (
                <ul className="waiting-list">
                  {waiting.map((peer) => {
                    const name = names[peer.userId] ?? t('aClient');
                    return (
                      <li key={peer.userId}>
                        <span>{t('isWaiting', { name })}</span>
                        <button type="button" aria-label={t('admitName', { name })} onClick={() => void call.admit(peer.userId).catch((failure: unknown) => setError(describe(failure)))}>
                          {t('admit')}
                        </button>
                      </li>
                    );
                  })}
                </ul>
              )}
            </section>
          )}
          <div className="video-grid">
            <VideoTile stream={call.remoteStream} tracks={remoteTracks} label={t('other')} placeholder={remoteVideo ? undefined : t('otherCameraOff')} />
            <VideoTile stream={call.localStream} label={t('you')} self />
          </div>
          <div className="call-controls" role="group" aria-label={t('controls')}>
            <button type="button" className="button-quiet" onClick={() => void toggle('audio')}>
              {muted.audio ? t('unmuteMicrophone') : t('muteMicrophone')}
            </button>
            <button type="button" className="button-quiet" onClick={() => void toggle('video')}>
              {muted.video ? t('cameraOn') : t('cameraOff')}
            </button>
            <button type="button" className="button-danger" onClick={() => void leave()}>
              {t('leave')}
            </button>
          </div>
        </>
      )}
    </Page>
  );
}
