import { useEffect, useRef } from 'react';

/** A stream in a <video>, muted when it is this device's own (no echo of oneself). */
export function VideoTile({ stream, label, self, placeholder }: { stream: MediaStream | null; label: string; self?: boolean; placeholder?: string }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (video.current && video.current.srcObject !== stream) video.current.srcObject = stream;
  }, [stream]);
  return (
    <figure className={`video-tile${self ? ' video-self' : ''}`}>
      <video ref={video} autoPlay playsInline muted={self} aria-label={label} />
      {placeholder && <p className="video-placeholder">{placeholder}</p>}
      <figcaption>{label}</figcaption>
    </figure>
  );
}
