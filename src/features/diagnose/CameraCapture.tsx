import { useEffect, useRef, useState } from 'react';

/** A live camera preview with a capture button (getUserMedia); the frame becomes a PNG file. */
export function CameraCapture({ onCapture, onClose }: { onCapture: (f: File) => void; onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let cancelled = false;
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1920 } }, audio: false })
      .then((s) => {
        if (cancelled) return s.getTracks().forEach((t) => t.stop());
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play();
        }
      })
      .catch((e: Error) => setError(e.name === 'NotAllowedError' ? 'Camera access was refused. Allow it in the browser, or choose a file instead.' : `No camera could be opened (${e.message}).`));
    return () => {
      cancelled = true;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);

  const capture = () => {
    const v = video.current;
    if (!v || !v.videoWidth) return;
    const c = document.createElement('canvas');
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    c.getContext('2d')!.drawImage(v, 0, 0);
    c.toBlob((b) => b && onCapture(new File([b], `camera-${new Date().toISOString().replace(/[:.]/g, '-')}.png`, { type: 'image/png' })), 'image/png');
  };

  return (
    <div className="camera" role="dialog" aria-label="Camera">
      {error ? <p role="alert">{error}</p> : <video ref={video} playsInline muted />}
      <div>
        <button type="button" onClick={capture} disabled={Boolean(error)}>
          Capture
        </button>{' '}
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}
