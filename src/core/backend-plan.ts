/**
 * Which backend and weight variant to try, in order. Pure: the worker measures the device and
 * the client walks the plan, falling back to the next choice when one fails its warm-up.
 *
 * Rules (ARCHITECTURE.md, FACTS.md):
 * - WebGPU when an adapter exists: fp16, else fp32, then q4; a variant only when the adapter has
 *   every GPU feature the manifest says it requires (`requiredFeatures`: an fp16 model on a device
 *   without `shader-f16` returns zeros or throws).
 * - int8 (MatMulInteger) falls off the WebGPU backend to the CPU: never serve int8 to WebGPU.
 * - WASM otherwise: int8 first (fastest on CPU), then fp32, then q4; never fp16 (emulated on CPUs);
 *   threads only when cross-origin isolated.
 */
export type Backend = 'webgpu' | 'wasm';
export type VariantName = 'fp32' | 'fp16' | 'int8' | 'q4';

export interface DeviceInfo {
  webgpu: boolean;
  /** The WebGPU adapter's features (e.g. 'shader-f16'); empty without an adapter. */
  gpuFeatures: string[];
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

export interface Choice {
  backend: Backend;
  variant: VariantName;
  numThreads: number;
}

export interface Preference {
  backend?: Backend | 'auto';
  variant?: VariantName | 'auto';
  /** 0 or undefined: automatic. */
  numThreads?: number;
}

const WEBGPU_ORDER: VariantName[] = ['fp16', 'fp32', 'q4'];
const WASM_ORDER: VariantName[] = ['int8', 'fp32', 'q4'];

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
      : ['webgpu', 'wasm'];
  if (pref.variant && pref.variant !== 'auto') {
    for (const b of backends) push(b, pref.variant);
  }
  for (const b of backends) for (const v of b === 'wasm' ? WASM_ORDER : WEBGPU_ORDER) push(b, v);
  return out;
}

export function describeChoice(c: Choice): string {
  const where = c.backend === 'webgpu' ? 'WebGPU' : `WASM (${c.numThreads} thread${c.numThreads === 1 ? '' : 's'})`;
  return `${where}, ${c.variant}`;
}
