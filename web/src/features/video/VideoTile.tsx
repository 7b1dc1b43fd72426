import { useEffect, useRef } from 'react';

/** A stream in a <video> (`tracks` counts changes of its tracks), muted when it is this device's own (no echo of oneself). */
export function VideoTile({ stream, label, self, placeholder, tracks = 0 }: { stream: MediaStream | null; label: string; self?: boolean; placeholder?: string; tracks?: number }) {
  const video = useRef<HTMLVideoElement>(null);
  // Set again when tracks come or go: a <video> does not always start a track added to its stream later.
  useEffect(() => {
    if (!video.current) return;
    video.current.srcObject = null;
    video.current.srcObject = stream;
  }, [stream, tracks]);
  return (
    <figure className={`video-tile${self ? ' video-self' : ''}`}>
      <video ref={video} autoPlay playsInline muted={self} aria-label={label} />
      {placeholder && <p className="video-placeholder">{placeholder}</p>}
      <figcaption>{label}</figcaption>
    </figure>
  );
}
