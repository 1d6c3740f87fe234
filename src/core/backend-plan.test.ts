import { describe, expect, it } from 'vitest';
import { describeChoice, planBackends, wasmThreads, type DeviceInfo, type PlanVariant, type VariantName } from './backend-plan';

/** As the toolchain's manifests say: fp16 needs shader-f16. */
const variants = (names: VariantName[]): PlanVariant[] => names.map((name) => ({ name, requiredFeatures: name === 'fp16' ? ['shader-f16'] : [] }));
const ALL: VariantName[] = ['fp32', 'fp16', 'int8', 'q4'];
const gpuF16: DeviceInfo = { webgpu: true, gpuFeatures: ['shader-f16', 'timestamp-query'], crossOriginIsolated: true, hardwareConcurrency: 8 };
const gpuNoF16: DeviceInfo = { ...gpuF16, gpuFeatures: [] };
const cpuOnly: DeviceInfo = { webgpu: false, gpuFeatures: [], crossOriginIsolated: true, hardwareConcurrency: 2 };
const short = (d: DeviceInfo, pref = {}, avail = ALL) => planBackends(d, variants(avail), pref).map((c) => `${c.backend}:${c.variant}`);

describe('planBackends', () => {
  it('prefers WebGPU fp16 when the adapter has shader-f16, then WASM int8', () => {
    expect(short(gpuF16)).toEqual(['webgpu:fp16', 'webgpu:fp32', 'webgpu:q4', 'wasm:int8', 'wasm:fp32', 'wasm:q4']);
  });
  it('never offers fp16 without shader-f16, nor on the CPU', () => {
    expect(short(gpuNoF16)).toEqual(['webgpu:fp32', 'webgpu:q4', 'wasm:int8', 'wasm:fp32', 'wasm:q4']);
    expect(short(gpuNoF16, { variant: 'fp16' })).toEqual(['webgpu:fp32', 'webgpu:q4', 'wasm:int8', 'wasm:fp32', 'wasm:q4']);
    expect(short(cpuOnly, { variant: 'fp16' })).toEqual(['wasm:int8', 'wasm:fp32', 'wasm:q4']);
  });
  it('never serves int8 to WebGPU, even when asked', () => {
    expect(short(gpuF16, { backend: 'webgpu', variant: 'int8' })[0]).toBe('wasm:int8');
  });
  it('uses WASM int8 first without an adapter', () => {
    expect(short(cpuOnly)).toEqual(['wasm:int8', 'wasm:fp32', 'wasm:q4']);
  });
  it('puts a software WebGPU adapter after WASM unless the user picks WebGPU', () => {
    const swiftshader: DeviceInfo = { ...gpuNoF16, softwareGpu: true };
    expect(short(swiftshader)).toEqual(['wasm:int8', 'wasm:fp32', 'wasm:q4', 'webgpu:fp32', 'webgpu:q4']);
    expect(short(swiftshader, { backend: 'auto' })[0]).toBe('wasm:int8');
    expect(short(swiftshader, { backend: 'webgpu' })[0]).toBe('webgpu:fp32');
  });
  it('puts a user override first and keeps the rest as fallback', () => {
    expect(short(gpuF16, { backend: 'wasm', variant: 'fp32' })).toEqual(['wasm:fp32', 'webgpu:fp32', 'wasm:int8', 'wasm:q4', 'webgpu:fp16', 'webgpu:q4']);
    expect(short(gpuF16, { backend: 'wasm' })[0]).toBe('wasm:int8');
  });
  it('reads required GPU features from the manifest, not from the variant name', () => {
    const needsSubgroups: PlanVariant[] = [{ name: 'fp32', requiredFeatures: ['subgroups'] }, { name: 'q4', requiredFeatures: [] }];
    expect(planBackends(gpuF16, needsSubgroups).map((c) => `${c.backend}:${c.variant}`)).toEqual(['webgpu:q4', 'wasm:fp32', 'wasm:q4']);
    expect(planBackends({ ...gpuF16, gpuFeatures: ['subgroups'] }, needsSubgroups)[0]).toMatchObject({ backend: 'webgpu', variant: 'fp32' });
    const f16Free: PlanVariant[] = [{ name: 'fp16', requiredFeatures: [] }];
    expect(planBackends(gpuNoF16, f16Free)[0]).toMatchObject({ backend: 'webgpu', variant: 'fp16' });
  });
  it('exact precision runs unquantized variants on every backend before any quantized one', () => {
    expect(short(gpuF16, { precision: 'exact' })).toEqual(['webgpu:fp16', 'webgpu:fp32', 'wasm:fp32', 'webgpu:q4', 'wasm:int8', 'wasm:q4']);
    expect(short(cpuOnly, { precision: 'exact' })).toEqual(['wasm:fp32', 'wasm:int8', 'wasm:q4']);
    expect(short(gpuNoF16, { precision: 'exact', backend: 'wasm' })).toEqual(['wasm:fp32', 'webgpu:fp32', 'wasm:int8', 'wasm:q4', 'webgpu:q4']);
    // An explicit variant still wins.
    expect(short(cpuOnly, { precision: 'exact', variant: 'int8' })[0]).toBe('wasm:int8');
  });
  it('only plans variants the bundle ships', () => {
    expect(short(gpuF16, {}, ['fp32'])).toEqual(['webgpu:fp32', 'wasm:fp32']);
    expect(short(cpuOnly, {}, [])).toEqual([]);
  });
});

describe('wasmThreads', () => {
  it('is 1 without cross-origin isolation', () => {
    expect(wasmThreads({ ...cpuOnly, crossOriginIsolated: false }, 4)).toBe(1);
  });
  it('defaults to the core count (at most 4) and caps requests at it', () => {
    expect(wasmThreads(cpuOnly)).toBe(2);
    expect(wasmThreads({ ...cpuOnly, hardwareConcurrency: 16 })).toBe(4);
    expect(wasmThreads(cpuOnly, 8)).toBe(2);
    expect(wasmThreads(cpuOnly, 1)).toBe(1);
  });
  it('is described in words', () => {
    expect(describeChoice({ backend: 'wasm', variant: 'int8', numThreads: 2 })).toBe('WASM (2 threads), int8');
  });
});
