/**
 * Which backend and weight variant to try, in order. Pure: the worker measures the device and
 * the client walks the plan, falling back to the next choice when one fails its warm-up.
 *
 * Rules (ARCHITECTURE.md, FACTS.md):
 * - WebGPU when an adapter exists; fp16 only with `shader-f16` (an fp16 model on a device without
 *   it returns zeros or throws), else fp32, then q4.
 * - int8 (MatMulInteger) falls off the WebGPU backend to the CPU: never serve int8 to WebGPU.
 * - WASM otherwise: int8 first (fastest on CPU), then fp32, then q4; never fp16 (emulated on CPUs);
 *   threads only when cross-origin isolated.
 */
export type Backend = 'webgpu' | 'wasm';
export type VariantName = 'fp32' | 'fp16' | 'int8' | 'q4';

export interface DeviceInfo {
  webgpu: boolean;
  shaderF16: boolean;
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

/** Variants a backend can run on this device, best first. */
export function variantsFor(backend: Backend, device: DeviceInfo): VariantName[] {
  if (backend === 'wasm') return WASM_ORDER;
  return WEBGPU_ORDER.filter((v) => v !== 'fp16' || device.shaderF16);
}

/**
 * The ordered list of choices. `available` are the variants the bundle ships. A user override of
 * backend and/or variant goes first; the automatic plan follows as fallback, without repeats.
 */
export function planBackends(
  device: DeviceInfo,
  available: readonly VariantName[],
  pref: Preference = {},
): Choice[] {
  const threads = wasmThreads(device, pref.numThreads);
  const has = new Set(available);
  const out: Choice[] = [];
  const push = (backend: Backend, variant: VariantName) => {
    if (!has.has(variant)) return;
    if (backend === 'webgpu' && (!device.webgpu || variant === 'int8')) return;
    if (backend === 'webgpu' && variant === 'fp16' && !device.shaderF16) return;
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
  for (const b of backends) for (const v of variantsFor(b, device)) push(b, v);
  return out;
}

export function describeChoice(c: Choice): string {
  const where = c.backend === 'webgpu' ? 'WebGPU' : `WASM (${c.numThreads} thread${c.numThreads === 1 ? '' : 's'})`;
  return `${where}, ${c.variant}`;
}
