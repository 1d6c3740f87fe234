/**
 * Rate and time left of a long job (indexing thousands of photos): photos per second over a
 * sliding window of recent progress, so a pause, a cached stretch or a slow start does not skew
 * the estimate for long.
 */

export interface RateSample {
  /** ms, any monotonic clock. */
  t: number;
  done: number;
}

export class RateMeter {
  private samples: RateSample[] = [];

  constructor(private readonly windowMs = 20_000) {}

  /** Forget the history (after a pause: idle time is not throughput). */
  reset(): void {
    this.samples = [];
  }

  add(t: number, done: number): void {
    this.samples.push({ t, done });
    const from = t - this.windowMs;
    while (this.samples.length > 2 && this.samples[1].t <= from) this.samples.shift();
  }

  /** Items per second, or null before there are two samples a moment apart. */
  rate(): number | null {
    if (this.samples.length < 2) return null;
    const a = this.samples[0];
    const b = this.samples[this.samples.length - 1];
    const dt = b.t - a.t;
    return dt >= 250 ? ((b.done - a.done) * 1000) / dt : null;
  }

  /** Seconds until `remaining` more items are done at the current rate (null: unknown). */
  eta(remaining: number): number | null {
    const r = this.rate();
    if (remaining <= 0) return 0;
    return r && r > 0 ? remaining / r : null;
  }
}

/** "1 h 05 min", "4 min 10 s", "12 s" */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/**
 * The photo count at which a collection's embedding matrix (and the evaluation and search built
 * on it) is next refreshed while indexing runs: `indexed` rounded down to two significant digits
 * (4,321 -> 4,300; 99 -> 99), so a 10,000-photo run refreshes about 180 times instead of after
 * every batch, each refresh costing O(rows). When indexing is not running, or every photo is in,
 * the exact count (the screens then show every indexed photo).
 */
export function matrixRefreshPoint(indexed: number, total: number, indexing: boolean): number {
  if (!indexing || indexed >= total || indexed < 100) return indexed;
  const step = 10 ** (Math.floor(Math.log10(indexed)) - 1);
  return Math.floor(indexed / step) * step;
}
