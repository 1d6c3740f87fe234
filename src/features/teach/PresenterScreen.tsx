import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useModel } from '../../state/model';
import { useEmbeddingDiagnosis, usePack, usePreparedPack, usePresenterTheme } from '../../state/teach';
import { PrepareStatus } from './PrepareStatus';
import { PresenterSession } from './PresenterSession';
import './teach.css';

/** Leave full screen if we are in it; a refusal or an absent API is not an error. */
function exitFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen().catch(() => undefined);
}

/**
 * Presenter mode: a prepare step (every case's embedding computed first, with progress), then the
 * session full screen, keyboard only. Leaving full screen (the browser's own Esc) leaves too.
 */
export function PresenterScreen({ packId }: { packId: string }) {
  const model = useModel().data;
  const packQ = usePack(packId);
  const stored = packQ.data;
  const { prepared, progress, error } = usePreparedPack(model, stored);
  const { tablesReady, error: tablesError } = useEmbeddingDiagnosis(model, undefined);
  const theme = usePresenterTheme((s) => s.theme);
  const toggleTheme = usePresenterTheme((s) => s.toggle);
  const [started, setStarted] = useState(false);
  const [, navigate] = useLocation();
  const wasFull = useRef(false);
  const startButton = useRef<HTMLButtonElement>(null);

  const leave = useCallback(() => {
    exitFullscreen();
    navigate('/teach');
  }, [navigate]);

  useEffect(() => {
    const onChange = () => {
      if (document.fullscreenElement) wasFull.current = true;
      else if (wasFull.current) leave();
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => {
      document.removeEventListener('fullscreenchange', onChange);
      exitFullscreen();
    };
  }, [leave]);

  const ready = Boolean(model && prepared && tablesReady);
  useEffect(() => {
    if (ready) startButton.current?.focus();
  }, [ready]);
  useEffect(() => {
    if (started) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') leave();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [started, leave]);

  const start = () => {
    document.documentElement.requestFullscreen?.().catch(() => undefined);
    setStarted(true);
  };

  if (packQ.isPending) return <p className="muted">Reading the pack…</p>;
  if (!stored) {
    return (
      <section className="panel" data-testid="pack-missing">
        <h1>No such teaching pack</h1>
        <p>
          There is no pack “{packId}” on this device. <Link href="/teach">Back to Teach</Link>.
        </p>
      </section>
    );
  }
  if (started && prepared && model) return <PresenterSession stored={stored} prepared={prepared} model={model} onLeave={leave} />;

  const n = stored.pack.cases.length;
  return (
    <div className={`presenter theme-${theme}`} data-testid="presenter-prepare">
      <div className="presenter-prepare">
        <h1>Present: {stored.pack.title}</h1>
        <p>
          {n} {n === 1 ? 'case' : 'cases'}. The model looks at every case now, so that nothing runs in front of the room.
        </p>
        {!ready && <PrepareStatus progress={progress} total={n} modelReady={Boolean(model)} tablesReady={tablesReady} error={error ?? tablesError} />}
        {ready && (
          <p role="status" data-testid="prepared">
            Prepared: all {n} cases are ready.
          </p>
        )}
        <h2>Keys</h2>
        <ul className="key-help">
          <li>
            <kbd>→</kbd> / <kbd>←</kbd> next / previous case (a clicker’s Page Down / Page Up too)
          </li>
          <li>
            <kbd>Space</kbd> reveal: first what the model sees, then the answer and your notes
          </li>
          <li>
            <kbd>1</kbd>–<kbd>9</kbd> the room’s choice
          </li>
          <li>
            <kbd>T</kbd> dark / light theme · <kbd>Esc</kbd> leave
          </li>
        </ul>
        <p className="presenter-buttons">
          <button ref={startButton} type="button" onClick={start} disabled={!ready} data-testid="presenter-start">
            Start presenting (full screen)
          </button>{' '}
          <button type="button" onClick={toggleTheme} data-testid="presenter-theme">
            {theme === 'dark' ? 'Light theme' : 'Dark theme'}
          </button>{' '}
          <Link href="/teach">Back to Teach</Link>
        </p>
      </div>
    </div>
  );
}
