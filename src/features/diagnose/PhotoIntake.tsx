import { useEffect, useRef, useState, type DragEvent } from 'react';
import { CameraCapture } from './CameraCapture';

/**
 * Every way a photo comes in: drop, file picker, paste (anywhere on the page) and the camera.
 * Several files at once open several cases.
 */
export function PhotoIntake({ onFiles }: { onFiles: (files: File[]) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [camera, setCamera] = useState(false);

  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const files = Array.from(e.clipboardData?.files ?? []);
      if (files.length) {
        e.preventDefault();
        onFiles(files);
      }
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [onFiles]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const files = Array.from(e.dataTransfer.files);
    if (files.length) onFiles(files);
  };

  const hasCamera = typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.getUserMedia);

  return (
    <section
      className={`intake ${over ? 'over' : ''}`}
      data-testid="dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      aria-label="Add a photo"
    >
      <p>
        Drop a photo of a skin lesion here, paste it (Ctrl+V), or{' '}
        <button type="button" onClick={() => input.current?.click()}>
          choose a file
        </button>
        {hasCamera && (
          <>
            {' '}
            or{' '}
            <button type="button" onClick={() => setCamera(true)}>
              use the camera
            </button>
          </>
        )}
        .
      </p>
      <input
        ref={input}
        type="file"
        accept="image/*"
        multiple
        hidden
        data-testid="file-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
      {camera && (
        <CameraCapture
          onCapture={(f) => {
            setCamera(false);
            onFiles([f]);
          }}
          onClose={() => setCamera(false)}
        />
      )}
    </section>
  );
}
