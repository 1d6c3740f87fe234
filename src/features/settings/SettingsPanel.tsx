import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Backend, VariantName } from '../../core/backend-plan';
import { useModel } from '../../state/model';
import { knownBundles } from '../../storage/bundle-source';
import { isBundleUrl, useSettings } from '../../state/settings';
import { ImportBundle } from '../offline/ImportBundle';

const KNOWN_BUNDLES = ['/models/demo-tiny', '/models/demo-full', '/models/dermlip-vit-b-16'];

/** Model, backend and variant choice. Changing any of them reloads the model (weights are cached). */
export function SettingsPanel() {
  const s = useSettings();
  const model = useModel();
  const [bundle, setBundle] = useState(s.bundleUrl);
  const known = useQuery({ queryKey: ['known-bundles', s.bundleUrl], queryFn: knownBundles });
  const options = [...new Set([...KNOWN_BUNDLES, ...(known.data ?? [])])];
  const variants = model.data ? Object.keys(model.data.source.manifest.variants) : ['fp32', 'fp16', 'int8', 'q4'];
  const device = model.data?.engine.device;
  return (
    <section className="settings" aria-labelledby="settings-h">
      <h2 id="settings-h">Model settings</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (isBundleUrl(bundle)) s.update({ bundleUrl: bundle });
        }}
      >
        <label>
          Bundle{' '}
          <input list="known-bundles" value={bundle} onChange={(e) => setBundle(e.target.value)} title="/models/<bundle-id> or imported:<bundle-id>" data-testid="bundle-input" />
        </label>
        <datalist id="known-bundles">
          {options.map((b) => (
            <option key={b} value={b} />
          ))}
        </datalist>{' '}
        <button type="submit">Load</button>
      </form>
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
      <ImportBundle />
      {device && (
        <p className="muted">
          This device: {device.device.webgpu ? `WebGPU adapter ${device.adapter?.vendor || ''} ${device.adapter?.architecture || ''}${device.adapter?.isFallbackAdapter ? ' (software)' : ''}, shader-f16 ${device.device.shaderF16 ? 'yes' : 'no'}` : 'no WebGPU'}; {device.device.hardwareConcurrency} CPU threads; cross-origin isolated: {device.device.crossOriginIsolated ? 'yes' : 'no'}.
        </p>
      )}
    </section>
  );
}
