import { useEffect, useRef, useState } from 'react';
import { HUB_MODELS, WEIGHTS_LICENSE } from '../../core/convert/architectures';
import { useRefreshBundles } from '../../state/bundles';
import { cancelConversion, discardPendingConversion, resumeConversion, startConversion, useConvert } from '../../state/convert';
import { ConvertProgress } from './ConvertProgress';

/**
 * Settings > "Use the real DermLIP weights": pick (or drop) the checkpoint and its
 * open_clip_config.json downloaded from the model page (DermLIP-PanDerm: also its text model's
 * config.json and tokenizer); the app converts them into a bundle on this device (no Python, no
 * server, works offline) and selects it.
 */
export function RealModelScreen() {
  const input = useRef<HTMLInputElement>(null);
  const c = useConvert();
  const refresh = useRefreshBundles();
  const [over, setOver] = useState(false);
  useEffect(() => {
    if (c.result?.ok) void refresh();
  }, [c.result, refresh]);

  const go = (list: FileList | null) => {
    if (list?.length && !c.running) void startConversion(Array.from(list));
  };

  return (
    <section className="real-model" aria-labelledby="real-model-h">
      <h2 id="real-model-h">Use the real DermLIP weights</h2>
      <p>
        The app comes with a demo model whose weights are random. To get real predictions, download the real weights from the model page and
        give them to the app: it converts them here, in this browser, once (no Python, no server, nothing is uploaded; it also works offline).
      </p>
      <table className="hub-models" data-testid="hub-models">
        <thead>
          <tr>
            <th>Model</th>
            <th>Download these files from its page</th>
            <th>Checkpoint size</th>
          </tr>
        </thead>
        <tbody>
          {HUB_MODELS.map((m) => (
            <tr key={m.repo}>
              <td>
                <a href={m.url} target="_blank" rel="noreferrer">
                  {m.title}
                </a>
                <br />
                <span className="muted">{m.about}</span>
              </td>
              <td>
                {m.files.map((f) => (
                  <code key={f} className="file-name">
                    {f}
                  </code>
                ))}
                {m.textModel && (
                  <>
                    <br />
                    and from its text model&apos;s page,{' '}
                    <a href={m.textModel.url} target="_blank" rel="noreferrer">
                      {m.textModel.repo}
                    </a>
                    :{' '}
                    {m.textModel.files.map((f) => (
                      <code key={f} className="file-name">
                        {f}
                      </code>
                    ))}
                  </>
                )}
              </td>
              <td>about {Math.round(m.checkpointBytes / 1e6)} MB</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="notice" data-testid="weights-license">
        <strong>License of the weights:</strong> {WEIGHTS_LICENSE}
      </p>
      <div
        className={`dropzone convert-drop${over ? ' over' : ''}`}
        data-testid="convert-drop"
        onDragOver={(e) => (e.preventDefault(), setOver(true))}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          go(e.dataTransfer.files);
        }}
      >
        <p>Drop the files here together (the checkpoint and open_clip_config.json; for DermLIP-PanDerm also its text model&apos;s config.json and tokenizer.json), or</p>
        <button type="button" onClick={() => input.current?.click()} disabled={c.running} data-testid="convert-pick">
          Choose the files
        </button>
        <input ref={input} type="file" hidden multiple accept=".safetensors,.bin,.json,.txt" data-testid="convert-files" onChange={(e) => (go(e.target.files), (e.target.value = ''))} />
      </div>
      {c.pending && !c.running && (
        <p className="notice" data-testid="convert-pending">
          {c.pending.stage === 'weights'
            ? `The conversion of ${c.pending.file} was interrupted while writing the model files: pick the same files again to continue where it stopped, or discard it.`
            : `The conversion of ${c.pending.file} stopped while computing the prompt table (${c.pending.batchesDone} batches done).`}{' '}
          {c.pending.stage === 'prompts' && (
            <button type="button" onClick={() => void resumeConversion()} data-testid="convert-resume">
              Resume
            </button>
          )}{' '}
          <button type="button" onClick={() => void discardPendingConversion()} data-testid="convert-discard">
            Discard
          </button>
        </p>
      )}
      {c.running && (
        <>
          <ConvertProgress status={c.status} />
          <button type="button" onClick={cancelConversion} data-testid="convert-cancel">
            Cancel
          </button>
        </>
      )}
      {c.result?.ok && (
        <p role="status" data-testid="convert-ok">
          Converted and selected: the app now runs the real model (see the model picker in Settings). The converted files stay on this device only.
        </p>
      )}
      {c.result && !c.result.ok && (
        <p role="alert" className="notice" data-testid="convert-error">
          {c.result.error.message} {c.result.error.hint && <span className="hint">{c.result.error.hint}</span>}
        </p>
      )}
      <p className="muted">
        Power users can also build the bundle with the Python toolchain (README, "Real DermLIP weights with Python") and load it with Settings &gt; Load a model from files.
      </p>
    </section>
  );
}
