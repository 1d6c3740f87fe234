/**
 * A least-recently-used cache whose values can be held: a held value (say, the object URL of a
 * thumbnail on screen) is never disposed of, however many newer values arrive; only values no one
 * holds are evicted, oldest first, once there are more than `keep`. The gallery's thumbnail URLs
 * live here (state/thumbnails.ts): revoking the URL of an <img> still on screen leaves it blank
 * the next time the browser needs its bytes.
 */
export class RefLru<V> {
  private entries = new Map<string, { value: V; holds: number }>();

  constructor(
    private readonly keep: number,
    private readonly dispose: (value: V) => void,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value, marked as just used (undefined: not cached). */
  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Add (or replace, disposing of the old value) and evict what is over `keep` and not held. */
  set(key: string, value: V): void {
    const old = this.entries.get(key);
    if (old && old.value !== value) this.dispose(old.value);
    this.entries.delete(key);
    this.entries.set(key, { value, holds: old?.holds ?? 0 });
    this.evict();
  }

  /** Hold a key (its value, present or to come, is not evicted until released as often). */
  hold(key: string): void {
    const e = this.entries.get(key);
    if (e) e.holds++;
    else this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  release(key: string): void {
    const e = this.entries.get(key);
    if (e) {
      e.holds = Math.max(0, e.holds - 1);
      if (e.holds === 0) this.evict();
      return;
    }
    const p = this.pending.get(key) ?? 0;
    if (p <= 1) this.pending.delete(key);
    else this.pending.set(key, p - 1);
  }

  /** Holds taken before the value arrived. */
  private pending = new Map<string, number>();

  private evict(): void {
    // values that arrived for a key held before they came keep those holds
    for (const [k, n] of this.pending) {
      const e = this.entries.get(k);
      if (e) {
        e.holds += n;
        this.pending.delete(k);
      }
    }
    if (this.entries.size <= this.keep) return;
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.keep) break;
      if (e.holds > 0) continue;
      this.entries.delete(k);
      this.dispose(e.value);
    }
  }
}
