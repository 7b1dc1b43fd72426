import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { VideoTile } from './VideoTile';

interface Choice {
  cameraId: string;
  microphoneId: string;
}

async function openDevices(choice: Partial<Choice>): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    video: { width: 640, height: 480, ...(choice.cameraId ? { deviceId: { exact: choice.cameraId } } : {}) },
    audio: choice.microphoneId ? { deviceId: { exact: choice.microphoneId } } : true,
  });
}

/**
 * The camera preview and the choice of camera and microphone before joining; hands the opened
 * stream to the call (which sends those very tracks), and stops it if the page is left instead.
 */
export function DeviceCheck({ joinLabel, busy, onJoin }: { joinLabel: string; busy: boolean; onJoin: (stream: MediaStream) => void }) {
  const { t } = useTranslation('video');
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [choice, setChoice] = useState<Partial<Choice>>({});
  const [failed, setFailed] = useState(false);
  /** The call owns the stream once joined: leaving this step then stops nothing. */
  const handedOver = useRef(false);

  useEffect(() => {
    let opened: MediaStream | null = null;
    let cancelled = false;
    openDevices(choice).then(
      async (next) => {
        if (cancelled) return next.getTracks().forEach((track) => track.stop());
        opened = next;
        setFailed(false);
        setStream(next);
        setDevices(await navigator.mediaDevices.enumerateDevices());
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
      if (!handedOver.current) opened?.getTracks().forEach((track) => track.stop());
    };
  }, [choice]);

  const cameras = devices.filter((device) => device.kind === 'videoinput');
  const microphones = devices.filter((device) => device.kind === 'audioinput');
  const current = (kind: 'video' | 'audio') => stream?.getTracks().find((track) => track.kind === kind)?.getSettings().deviceId ?? '';

  return (
    <section className="card device-check" aria-labelledby="device-check-title">
      <h2 id="device-check-title">{t('deviceCheck')}</h2>
      <p className="muted">{t('deviceCheckHint')}</p>
      {failed && <Alert kind="error">{t('noDevices')}</Alert>}
      <VideoTile stream={stream} label={t('preview')} self />
      <div className="device-choices">
        <div className="device-choice">
        <label htmlFor="camera-choice">
          {t('camera')}
        </label>
        <select id="camera-choice" value={current('video')} onChange={(event) => setChoice((previous) => ({ ...previous, cameraId: event.target.value }))}>
            {cameras.map((camera, index) => (
              <option key={camera.deviceId || index} value={camera.deviceId}>{camera.label || `${t('camera')} ${index + 1}`}</option>
            ))}
        </select>
        </div>
        <div className="device-choice">
        <label htmlFor="microphone-choice">
          {t('microphone')}
        </label>
        <select id="microphone-choice" value={current('audio')} onChange={(event) => setChoice((previous) => ({ ...previous, microphoneId: event.target.value }))}>
            {microphones.map((microphone, index) => (
              <option key={microphone.deviceId || index} value={microphone.deviceId}>{microphone.label || `${t('microphone')} ${index + 1}`}</option>
            ))}
        </select>
        </div>
      </div>
      <button
        type="button"
        disabled={!stream || busy}
        onClick={() => {
          if (!stream) return;
          handedOver.current = true;
          onJoin(stream);
        }}
      >
        {busy ? t('joining') : joinLabel}
      </button>
    </section>
  );
}
