import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type { DeviceInfo } from '../core/backend-plan';
import { parseManifest } from '../core/manifest';
import { FakeWorker, type FakeScript } from '../../test/helpers/fake-worker';
import { EngineClient, EngineError } from './client';
import type { EngineStatus, ModelSource } from './protocol';
import { WorkerRpc } from './rpc';

const manifest = parseManifest(JSON.parse(readFileSync('public/models/demo-tiny/manifest.json', 'utf8')));
const source: ModelSource = { manifest, getFile: async () => new ArrayBuffer(8) };
const gpuNoF16: DeviceInfo = { webgpu: true, gpuFeatures: [], crossOriginIsolated: true, hardwareConcurrency: 2 };
const cpuOnly: DeviceInfo = { webgpu: false, gpuFeatures: [], crossOriginIsolated: true, hardwareConcurrency: 2 };

function engine(script: FakeScript, debug = false, lowMemory?: boolean) {
  const workers: FakeWorker[] = [];
  const statuses: EngineStatus[] = [];
  const client = new EngineClient({
    source,
    onStatus: (s) => statuses.push(s),
    createWorker: () => {
      const w = new FakeWorker(script);
      workers.push(w);
      return w;
    },
    debug,
    lowMemory,
  });
  return { client, workers, statuses };
}

const image = () => ({ tensors: new Float32Array(3 * manifest.image.size ** 2), n: 1 });
/** Until the fake worker has received `n` messages of `type` (robust on a loaded machine). */
const received = (w: () => FakeWorker | undefined, type: string, n = 1) =>
  vi.waitFor(() => expect(w()?.received.filter((m) => m.type === type).length ?? 0).toBeGreaterThanOrEqual(n), { timeout: 10_000, interval: 2 });

describe('EngineClient with a fake worker', () => {
  it('walks the plan past a backend whose warm-up fails, and says so', async () => {
    const { client, workers, statuses } = engine({ device: gpuNoF16, failWarmup: ['webgpu:fp32', 'webgpu:q4'] });
    const [v] = await client.encodeImages(image());
    expect(client.choice).toMatchObject({ backend: 'wasm', variant: 'int8' });
    expect(v.length).toBe(4);
    expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    // One worker per attempt: webgpu fp32, webgpu q4, wasm int8; the failed ones were closed.
    expect(workers.map((w) => `${w.backend}:${w.variant}`)).toEqual(['webgpu:fp32', 'webgpu:q4', 'wasm:int8']);
    expect(workers.slice(0, 2).every((w) => w.terminated)).toBe(true);
    const ready = statuses.filter((s) => s.phase === 'ready').at(-1);
    expect(ready?.phase === 'ready' && ready.notes.join(' ')).toMatch(/WebGPU, fp32 failed \(warm-up gave zeros on webgpu\).*WebGPU, q4 failed.*using WASM \(2 threads\), int8/);
  });

  it('never plans fp16 on a GPU without the feature the manifest requires', async () => {
    const { client, workers } = engine({ device: gpuNoF16 });
    await client.ready('image');
    expect(workers[0].received.find((m) => m.type === 'configure')).toMatchObject({ backend: 'webgpu', variant: 'fp32', requiredFeatures: [] });
  });

  it('asks the GPU for the features the fp16 variant requires', async () => {
    const { client, workers } = engine({ device: { ...gpuNoF16, gpuFeatures: ['shader-f16'] } });
    await client.ready('image');
    expect(workers[0].received.find((m) => m.type === 'configure')).toMatchObject({ variant: 'fp16', requiredFeatures: ['shader-f16'] });
  });

  it('warms the text tower up with the manifest tokenizer ids', async () => {
    const { client, workers } = engine({ device: cpuOnly });
    await client.ready('text');
    const t = manifest.tokenizer;
    expect(workers[0].received.find((m) => m.type === 'createSession')).toMatchObject({ tower: 'text', warmup: { kind: 'text', ids: [t.startId, t.endId, t.padId, t.padId, t.padId, t.padId, t.padId, t.padId] } });
  });

  it('asks for sessions without pre-packed weights only when told to (the converter\'s prompt table)', async () => {
    for (const lowMemory of [undefined, true]) {
      const { client, workers } = engine({ device: cpuOnly }, false, lowMemory);
      await client.ready('text');
      expect(workers[0].received.find((m) => m.type === 'createSession')).toMatchObject({ lowMemory: lowMemory ?? false });
    }
  });

  it('a cancelled request stops waiting at once and frees its slot; the next one runs', async () => {
    const { client, workers } = engine({ device: cpuOnly, holdRuns: true });
    await client.ready('image');
    const ac = new AbortController();
    const first = client.encodeImages(image(), { signal: ac.signal });
    await received(() => workers[0], 'run');
    expect(client.inFlight).toBe(1);
    ac.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    expect(client.inFlight).toBe(0);
    expect(workers[0].received.some((m) => m.type === 'cancel')).toBe(true);
    const second = client.encodeImages(image());
    await received(() => workers[0], 'run', 2);
    workers[0].release();
    await expect(second).resolves.toHaveLength(1);
    expect(client.runs.image).toBe(1);
  });

  it('a request cancelled before its turn is never sent', async () => {
    const { client, workers } = engine({ device: cpuOnly, holdRuns: true });
    await client.ready('image');
    const first = client.encodeImages(image());
    const ac = new AbortController();
    const queued = client.encodeImages(image(), { signal: ac.signal });
    ac.abort();
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    await received(() => workers[0], 'run');
    workers[0].release();
    await first;
    await client.ready('image'); // after the skipped step in the queue
    expect(workers[0].received.filter((m) => m.type === 'run')).toHaveLength(1);
  });

  it('a lost GPU falls back to WASM and retries the interrupted request', async () => {
    const { client, workers } = engine({ device: gpuNoF16, holdRuns: true });
    await client.ready('image');
    const pending = client.encodeImages(image());
    await received(() => workers[0], 'run');
    workers[0].loseGpu();
    await received(() => workers[1], 'run');
    workers[1].release();
    await expect(pending).resolves.toHaveLength(1);
    expect(client.choice?.backend).toBe('wasm');
    expect(workers[0].terminated).toBe(true);
  });

  it('refuses the lost-device hook unless started in debug mode', async () => {
    const { client } = engine({ device: cpuOnly });
    await client.ready('image');
    await expect(client.loseDevice()).rejects.toBeInstanceOf(EngineError);
    const dbg = engine({ device: cpuOnly }, true);
    await dbg.client.ready('image');
    await expect(dbg.client.loseDevice()).resolves.toBeUndefined();
  });
});

describe('WorkerRpc', () => {
  it('rejects a reply that answers another call', async () => {
    const w = new FakeWorker({ device: cpuOnly });
    const rpc = new WorkerRpc(w, { onEvent: () => {}, onCrash: () => {} });
    w.postMessage = (msg) => {
      if (msg.type === 'probe') setTimeout(() => w.onmessage?.({ data: { type: 'reply', id: msg.id, call: 'configure', ok: true, result: { initMs: 1 } } } as MessageEvent), 0);
    };
    await expect(rpc.call({ type: 'probe' })).rejects.toThrow(/answered a "probe" request with a "configure" reply/);
    expect(rpc.inFlight).toBe(0);
  });

  it('rejects every pending call when the worker crashes', async () => {
    const w = new FakeWorker({ device: cpuOnly });
    let crashed = '';
    const rpc = new WorkerRpc(w, { onEvent: () => {}, onCrash: (r) => (crashed = r.message) });
    w.postMessage = () => {};
    const p = rpc.call({ type: 'probe' });
    w.onerror?.({ message: 'out of memory', preventDefault() {} } as ErrorEvent);
    await expect(p).rejects.toMatchObject({ code: 'backend-failed' });
    expect(crashed).toMatch(/out of memory/);
    expect(rpc.inFlight).toBe(0);
  });

  it('an already aborted signal sends nothing', async () => {
    const w = new FakeWorker({ device: cpuOnly });
    const rpc = new WorkerRpc(w, { onEvent: () => {}, onCrash: () => {} });
    await expect(rpc.call({ type: 'probe' }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(w.received).toHaveLength(0);
  });
});
