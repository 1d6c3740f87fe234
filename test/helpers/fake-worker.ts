/**
 * A stand-in for the inference worker (engine/worker.ts) that speaks the same protocol, for unit
 * tests of the engine client in Node: a scripted device, warm-ups that fail for chosen
 * backends/variants, runs that answer at once or only when released, and GPU-loss events.
 * Collection calls (core/eval) run the real handlers, as the worker does.
 */
import type { Backend, DeviceInfo, VariantName } from '../../src/core/backend-plan';
import { evalHandlers } from '../../src/core/eval/calls';
import { toWireError } from '../../src/core/errors';
import type { WorkerInbound, WorkerOutbound } from '../../src/engine/protocol';
import type { WorkerLike } from '../../src/engine/rpc';

export interface FakeScript {
  device: DeviceInfo;
  /** Warm-up fails (model-output-invalid) for these `backend:variant` pairs. */
  failWarmup?: string[];
  /** Runs wait for `release()` instead of answering at once. */
  holdRuns?: boolean;
  /** Output dimension of a run. */
  dim?: number;
}

export class FakeWorker implements WorkerLike {
  onmessage: WorkerLike['onmessage'] = null;
  onerror: WorkerLike['onerror'] = null;
  readonly received: WorkerInbound[] = [];
  terminated = false;
  /** Collection calls answered. */
  evalCalls = 0;
  backend: Backend | null = null;
  variant: VariantName | null = null;
  private held: (() => void)[] = [];
  private cancelled = new Set<number>();

  constructor(private readonly script: FakeScript) {}

  postMessage(msg: WorkerInbound): void {
    this.received.push(msg);
    if (msg.type === 'cancel') {
      this.cancelled.add(msg.id);
      return;
    }
    const reply = (out: WorkerOutbound): void => void setTimeout(() => !this.terminated && this.onmessage?.({ data: out } as MessageEvent<WorkerOutbound>), 0);
    switch (msg.type) {
      case 'probe':
        return reply({ type: 'reply', id: msg.id, call: 'probe', ok: true, result: { device: this.script.device, adapter: null } });
      case 'configure':
        this.backend = msg.backend;
        this.variant = msg.variant;
        return reply({ type: 'reply', id: msg.id, call: 'configure', ok: true, result: { initMs: 1 } });
      case 'createSession':
        if (this.script.failWarmup?.includes(`${this.backend}:${this.variant}`)) {
          return reply({ type: 'reply', id: msg.id, call: 'createSession', ok: false, error: { code: 'model-output-invalid', message: `warm-up gave zeros on ${this.backend}` } });
        }
        return reply({ type: 'reply', id: msg.id, call: 'createSession', ok: true, result: { createMs: 1, warmupMs: 1, weightsFrom: msg.data ? (msg.data.bytes instanceof Blob ? 'blob' : 'memory') : 'none' } });
      case 'run': {
        const n = msg.dims[0];
        const dim = this.script.dim ?? 4;
        const answer = () => {
          if (this.cancelled.has(msg.id)) return;
          const data = new Float32Array(n * dim).map((_, i) => i + 1);
          reply({ type: 'reply', id: msg.id, call: 'run', ok: true, result: { data, dims: [n, dim], ms: 1 } });
        };
        if (this.script.holdRuns) this.held.push(answer);
        else answer();
        return;
      }
      case 'evaluate':
      case 'trainProbe':
      case 'retrieval':
      case 'search': {
        this.evalCalls++;
        const run = evalHandlers[msg.type] as (r: typeof msg) => unknown;
        try {
          return reply({ type: 'reply', id: msg.id, call: msg.type, ok: true, result: run(msg) } as WorkerOutbound);
        } catch (e) {
          return reply({ type: 'reply', id: msg.id, call: msg.type, ok: false, error: toWireError(e) });
        }
      }
      case 'releaseSession':
      case 'loseDevice':
      case 'convertClose':
        return reply({ type: 'reply', id: msg.id, call: msg.type, ok: true, result: null });
      default:
        return reply({ type: 'reply', id: msg.id, call: msg.type, ok: false, error: { code: 'internal', message: `the fake worker does not answer ${msg.type}` } });
    }
  }

  /** Answer the runs held so far, in order. */
  release(): void {
    const h = this.held;
    this.held = [];
    h.forEach((f) => f());
  }

  /** The GPU device went away (as device.lost resolving in the real worker). */
  loseGpu(): void {
    this.onmessage?.({ data: { type: 'event', event: { kind: 'gpu-lost', reason: 'destroyed', message: 'The GPU device was lost.' } } } as MessageEvent<WorkerOutbound>);
  }

  terminate(): void {
    this.terminated = true;
  }
}
