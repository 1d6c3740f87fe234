/**
 * Where a long job's time goes, stage by stage (indexing: waiting for decoded photos, the cache
 * lookup, the encoder run, the writes): per stage the count, total, min and max in ms. Fed by the
 * indexer, read by the debug console (`dermlip.indexTimings()`) and the indexing benchmark.
 */

export interface StageStat {
  count: number;
  totalMs: number;
  minMs: number;
  maxMs: number;
}

export type StageReport = Record<string, StageStat & { meanMs: number }>;

export class StageTimes {
  private stats = new Map<string, StageStat>();

  /** `now`: a monotonic clock in ms (performance.now in the browser). */
  constructor(private readonly now: () => number) {}

  add(stage: string, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const s = this.stats.get(stage);
    if (!s) this.stats.set(stage, { count: 1, totalMs: ms, minMs: ms, maxMs: ms });
    else {
      s.count++;
      s.totalMs += ms;
      s.minMs = Math.min(s.minMs, ms);
      s.maxMs = Math.max(s.maxMs, ms);
    }
  }

  /** Time `fn` (sync or async) under `stage`; returns its result. */
  async time<T>(stage: string, fn: () => Promise<T> | T): Promise<T> {
    const t0 = this.now();
    try {
      return await fn();
    } finally {
      this.add(stage, this.now() - t0);
    }
  }

  reset(): void {
    this.stats.clear();
  }

  /** Per stage, with its mean; stages in the order they were first seen. */
  report(): StageReport {
    const out: StageReport = {};
    for (const [k, s] of this.stats) out[k] = { ...s, meanMs: s.totalMs / s.count };
    return out;
  }
}
