import { formatBytes } from '../../components/format';
import { towerFiles, VARIANT_NAMES, type Manifest } from '../../core/manifest';

/** The loaded bundle's variants: download size, how close each is to the fp32 PyTorch model, which one runs. */
export function VariantTable({ manifest: m, running }: { manifest: Manifest; running?: string }) {
  const size = (files: { graph: string; data?: string }) => (m.files[files.graph]?.bytes ?? 0) + (files.data ? (m.files[files.data]?.bytes ?? 0) : 0);
  return (
    <table className="compare-table" data-testid="variant-table">
      <caption className="muted">Variants of {m.name}: cosine to the fp32 PyTorch model, worst over the toolchain's reference photos and prompts</caption>
      <thead>
        <tr>
          <th scope="col">Variant</th>
          <th scope="col">Image model</th>
          <th scope="col">Text model</th>
          <th scope="col">Cosine (image / text)</th>
          <th scope="col" />
        </tr>
      </thead>
      <tbody>
        {VARIANT_NAMES.filter((v) => m.variants[v]).map((v) => {
          const variant = m.variants[v]!;
          const f = variant.fidelity;
          return (
            <tr key={v} data-testid="variant-row" data-variant={v}>
              <th scope="row">
                {v}
                {variant.requiredFeatures.length > 0 && <span className="muted"> (GPU: {variant.requiredFeatures.join(', ')})</span>}
              </th>
              <td>{formatBytes(size(towerFiles(variant, 'image')))}</td>
              <td>{formatBytes(size(towerFiles(variant, 'text')))}</td>
              <td data-testid="variant-fidelity" title={f?.measuredWith}>
                {f ? `${f.image.toFixed(5)} / ${f.text.toFixed(5)}` : 'not measured in this bundle'}
              </td>
              <td>{running === v ? 'running now' : ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
