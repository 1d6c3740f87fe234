/**
 * Which backend and weight variant to try, in order. Pure: the worker measures the device and
 * the client walks the plan, falling back to the next choice when one fails its warm-up.
 *
 * Rules (ARCHITECTURE.md, FACTS.md):
 * - WebGPU when a hardware adapter exists: fp16, else fp32, then q4; a variant only when the adapter has
 *   every GPU feature the manifest says it requires (`requiredFeatures`: an fp16 model on a device
 *   without `shader-f16` returns zeros or throws).
 * - int8 (MatMulInteger) falls off the WebGPU backend to the CPU: never serve int8 to WebGPU.
 * - WASM otherwise: int8 first (fastest on CPU), then fp32, then q4; never fp16 (emulated on CPUs);
 *   threads only when cross-origin isolated.
 * - A software WebGPU adapter (the browser's fallback adapter, e.g. SwiftShader: the GPU API run on
 *   the CPU) goes after WASM in the automatic order: it runs the same model several times slower
 *   than WASM's int8 kernels on the same cores. A user who picks WebGPU still gets it.
 */
export type Backend = 'webgpu' | 'wasm';
export type VariantName = 'fp32' | 'fp16' | 'int8' | 'q4';

export interface DeviceInfo {
  webgpu: boolean;
  /** The WebGPU adapter's features (e.g. 'shader-f16'); empty without an adapter. */
  gpuFeatures: string[];
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  /** The adapter is the browser's software fallback (GPUAdapterInfo.isFallbackAdapter). */
  softwareGpu?: boolean;
}

export interface Choice {
  backend: Backend;
  variant: VariantName;
  numThreads: number;
}

/** fast: quantized where it pays (int8 on the CPU); exact: no quantization (fp32 on the CPU, fp16 or fp32 on the GPU). */
export type Precision = 'fast' | 'exact';

export interface Preference {
  backend?: Backend | 'auto';
  precision?: Precision;
  variant?: VariantName | 'auto';
  /** 0 or undefined: automatic. */
  numThreads?: number;
}

const WEBGPU_ORDER: VariantName[] = ['fp16', 'fp32', 'q4'];
const WASM_ORDER: VariantName[] = ['int8', 'fp32', 'q4'];
/** Exact first; the quantized variants stay as a last resort (a fallback is always said in the UI). */
const EXACT_ORDER: Record<Backend, VariantName[]> = { webgpu: ['fp16', 'fp32', 'q4'], wasm: ['fp32', 'int8', 'q4'] };
const FAST_ORDER: Record<Backend, VariantName[]> = { webgpu: WEBGPU_ORDER, wasm: WASM_ORDER };

/** Variants without quantization: what "exact" runs. */
export const EXACT_VARIANTS: readonly VariantName[] = ['fp32', 'fp16'];

export function wasmThreads(device: DeviceInfo, requested?: number): number {
  if (!device.crossOriginIsolated) return 1;
  const cores = Math.max(1, device.hardwareConcurrency || 1);
  const auto = Math.min(4, cores);
  if (!requested || requested < 1) return auto;
  return Math.min(Math.floor(requested), cores);
}

/** A variant the bundle ships, as its manifest describes it. */
export interface PlanVariant {
  name: VariantName;
  /** GPU features it needs on WebGPU (manifest `requiredFeatures`). */
  requiredFeatures: readonly string[];
}

/**
 * The ordered list of choices. `available` are the variants the bundle ships. A user override of
 * backend and/or variant goes first; the automatic plan follows as fallback, without repeats.
 */
export function planBackends(
  device: DeviceInfo,
  available: readonly PlanVariant[],
  pref: Preference = {},
): Choice[] {
  const threads = wasmThreads(device, pref.numThreads);
  const byName = new Map(available.map((v) => [v.name, v]));
  const gpuHas = new Set(device.gpuFeatures);
  const out: Choice[] = [];
  const push = (backend: Backend, variant: VariantName) => {
    const v = byName.get(variant);
    if (!v) return;
    if (backend === 'webgpu' && (!device.webgpu || variant === 'int8')) return;
    if (backend === 'webgpu' && !v.requiredFeatures.every((f) => gpuHas.has(f))) return;
    // fp16 is a GPU format: on the CPU it is emulated, slower than fp32 and no smaller than int8.
    if (backend === 'wasm' && variant === 'fp16') return;
    if (out.some((c) => c.backend === backend && c.variant === variant)) return;
    out.push({ backend, variant, numThreads: backend === 'wasm' ? threads : 1 });
  };
  const backends: Backend[] =
    pref.backend && pref.backend !== 'auto'
      ? [pref.backend, ...(['webgpu', 'wasm'] as Backend[]).filter((b) => b !== pref.backend)]
      : device.softwareGpu
        ? ['wasm', 'webgpu']
        : ['webgpu', 'wasm'];
  if (pref.variant && pref.variant !== 'auto') {
    for (const b of backends) push(b, pref.variant);
  }
  const order = pref.precision === 'exact' ? EXACT_ORDER : FAST_ORDER;
  if (pref.precision === 'exact') for (const b of backends) for (const v of order[b].filter((x) => EXACT_VARIANTS.includes(x))) push(b, v);
  for (const b of backends) for (const v of order[b]) push(b, v);
  return out;
}

export function describeChoice(c: Choice): string {
  const where = c.backend === 'webgpu' ? 'WebGPU' : `WASM (${c.numThreads} thread${c.numThreads === 1 ? '' : 's'})`;
  return `${where}, ${c.variant}`;
}
