/**
 * Request/reply plumbing over one worker: ids, pending replies, cancellation, crash and event
 * handling. Knows nothing of models or backends (that is engine/client.ts). Typed by
 * `WorkerCalls`: `call({ type: 'probe' })` resolves to a `ProbeResult`, checked at run time
 * against the call the worker says it answers, never cast.
 */
import type { WireError } from '../core/errors';
import { isReplyTo, type CallOptions, type CallType, type ErrorReply, type OkReply, type ReplyOf, type RequestOf, type WorkerEvent, type WorkerInbound, type WorkerOutbound } from './protocol';

/** What the plumbing needs of a Worker (a fake one in tests). */
export interface WorkerLike {
  postMessage(message: WorkerInbound, transfer: Transferable[]): void;
  terminate(): void;
  onmessage: ((e: MessageEvent<WorkerOutbound>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
}

export type WorkerFactory = () => WorkerLike;

export class EngineError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
    this.name = 'EngineError';
  }
  get code() {
    return this.wire.code;
  }
}

/** The rejection of a cancelled call: a DOMException named AbortError, as fetch gives. */
export function abortError(signal?: AbortSignal): unknown {
  return signal?.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
}

/** `p`, unless `signal` aborts first (the work behind `p` goes on; only this caller stops waiting). */
export function untilAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}

interface Pending {
  settle(msg: OkReply | ErrorReply): void;
  fail(e: EngineError): void;
}

export interface RpcHandlers {
  /** A message the worker sent on its own (e.g. the GPU device was lost). */
  onEvent(e: WorkerEvent): void;
  /** The worker crashed: every pending call has been rejected with `reason`. */
  onCrash(reason: WireError): void;
}

export class WorkerRpc {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly worker: WorkerLike,
    private readonly handlers: RpcHandlers,
  ) {
    worker.onmessage = (e) => this.receive(e.data);
    worker.onerror = (e) => {
      e.preventDefault?.();
      const reason: WireError = { code: 'backend-failed', message: `The inference worker crashed: ${e.message || 'unknown error'}` };
      this.failAll(reason);
      handlers.onCrash(reason);
    };
  }

  /** Calls waiting for a reply (a cancelled call is not among them). */
  get inFlight(): number {
    return this.pending.size;
  }

  call<K extends CallType>(request: RequestOf<K>, opts: CallOptions & { transfer?: Transferable[] } = {}): Promise<ReplyOf<K>> {
    const { signal, transfer = [] } = opts;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const id = this.nextId++;
    return new Promise<ReplyOf<K>>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        // The worker skips it if it has not started; a late reply is ignored either way.
        this.worker.postMessage({ type: 'cancel', id }, []);
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        settle: (msg) => {
          done();
          if (!msg.ok) reject(new EngineError(msg.error));
          else if (isReplyTo(msg, request.type)) resolve(msg.result);
          else reject(new EngineError({ code: 'internal', message: `The worker answered a "${request.type}" request with a "${msg.call}" reply.` }));
        },
        fail: (e) => (done(), reject(e)),
      });
      this.worker.postMessage(inbound(request, id), transfer);
    });
  }

  /** Reject every pending call with `reason` (e.g. the GPU was lost). */
  failAll(reason: WireError): void {
    const e = new EngineError(reason);
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.fail(e);
  }

  terminate(reason: WireError): void {
    this.worker.onmessage = null;
    this.worker.onerror = null;
    this.worker.terminate();
    this.failAll(reason);
  }

  private receive(msg: WorkerOutbound): void {
    if (msg.type === 'event') {
      this.handlers.onEvent(msg.event);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    p.settle(msg);
  }
}

function inbound<K extends CallType>(request: RequestOf<K>, id: number): WorkerInbound {
  const msg: RequestOf<CallType> & { id: number } = { ...request, id };
  return msg as WorkerInbound;
}
