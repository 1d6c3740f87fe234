import { Link } from 'wouter';
import type { Backend, Precision, VariantName } from '../../core/backend-plan';
import { describeChoice } from '../../core/backend-plan';
import { VARIANT_NAMES } from '../../core/manifest';
import { useAvailableBundles } from '../../state/bundles';
import { useModel } from '../../state/model';
import { useSettings } from '../../state/settings';
import { formatBytes } from '../../components/format';
import { ImportBundle } from './ImportBundle';
import { VariantTable } from './VariantTable';

/** Model, backend and variant choice. Changing any of them reloads the model (weights are cached). */
export function SettingsPanel() {
  const s = useSettings();
  const model = useModel();
  const bundles = useAvailableBundles();
  const m = model.data?.source.manifest;
  const variants = m ? VARIANT_NAMES.filter((v) => m.variants[v]) : VARIANT_NAMES;
  const device = model.data?.engine.device;
  const choice = model.data?.engine.choice;
  const list = bundles.data ?? [];
  const activeListed = list.some((b) => b.baseUrl === s.bundleUrl);
  return (
    <section className="settings" aria-labelledby="settings-h">
      <h2 id="settings-h">Model settings</h2>
      <p className="real-model-link">
        <Link href="/real-model" data-testid="real-model-link">
          Use the real DermLIP weights
        </Link>{' '}
        <span className="muted">: pick the checkpoint downloaded from the model page; the app converts it here, no Python needed.</span>
      </p>
      <fieldset className="model-picker" data-testid="model-picker">
        <legend>Model</legend>
        {bundles.isLoading && <p className="muted">Looking for models…</p>}
        {!activeListed && (
          <p className="muted" data-testid="model-unlisted">
            Active: {s.bundleUrl} (not served here and not stored on this device).
          </p>
        )}
        {list.map((b) => (
          <label key={b.baseUrl} className="model-option" data-testid="model-option" data-url={b.baseUrl}>
            <input type="radio" name="bundle" value={b.baseUrl} checked={b.baseUrl === s.bundleUrl} onChange={() => s.update({ bundleUrl: b.baseUrl, variant: 'auto' })} />{' '}
            <strong>{b.name}</strong> <span className="muted">({b.id})</span>
            {b.demo && <span className="tag demo">demo, random weights</span>}
            {b.imported && <span className="tag">imported</span>}
            <span className="muted">
              {' '}
              · {formatBytes(b.bytes)} all variants ·{' '}
              {b.storedBytes > 0 ? `${formatBytes(b.storedBytes)} stored on this device` : b.served ? 'not stored yet (downloads when chosen)' : 'no files stored'}
              {b.baseUrl === s.bundleUrl && choice && ` · running ${describeChoice(choice)}`}
            </span>
          </label>
        ))}
      </fieldset>
      <label>
        Precision{' '}
        <select value={s.precision} onChange={(e) => s.update({ precision: e.target.value as Precision })} data-testid="precision-select">
          <option value="fast">Fast: int8 on the CPU, fp16 on the GPU (default)</option>
          <option value="exact">Exact: fp32 on the CPU, fp16 or fp32 on the GPU</option>
        </select>
      </label>{' '}
      <label>
        Backend{' '}
        <select value={s.backend} onChange={(e) => s.update({ backend: e.target.value as Backend | 'auto' })} data-testid="backend-select">
          <option value="auto">Automatic</option>
          <option value="webgpu">WebGPU (GPU)</option>
          <option value="wasm">WASM (CPU)</option>
        </select>
      </label>{' '}
      <label>
        Variant{' '}
        <select value={s.variant} onChange={(e) => s.update({ variant: e.target.value as VariantName | 'auto' })} data-testid="variant-select">
          <option value="auto">Automatic</option>
          {variants.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        CPU threads{' '}
        <select value={s.numThreads} onChange={(e) => s.update({ numThreads: Number(e.target.value) })}>
          <option value={0}>Automatic</option>
          {[1, 2, 4, 8].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      {m && <VariantTable manifest={m} running={choice?.variant} />}
      <ImportBundle />
      {device && (
        <p className="muted">
          This device:{' '}
          {device.device.webgpu
            ? `WebGPU adapter ${device.adapter?.vendor || ''} ${device.adapter?.architecture || ''}${device.adapter?.isFallbackAdapter ? ' (software)' : ''}, shader-f16 ${device.device.gpuFeatures.includes('shader-f16') ? 'yes' : 'no'}`
            : 'no WebGPU'}
          ; {device.device.hardwareConcurrency} CPU threads; cross-origin isolated: {device.device.crossOriginIsolated ? 'yes' : 'no'}.
        </p>
      )}
    </section>
  );
}
