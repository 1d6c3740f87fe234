import { describe, expect, it } from 'vitest';
import { dropBuffer } from './drop-buffer';

describe('dropBuffer', () => {
  it('detaches the buffer (its bytes are released with the dropped message)', () => {
    const b = new ArrayBuffer(1024);
    dropBuffer(b);
    expect(b.byteLength).toBe(0);
  });

  it('leaves alone what it cannot transfer: an empty buffer, a SharedArrayBuffer', () => {
    const empty = new ArrayBuffer(0);
    expect(() => dropBuffer(empty)).not.toThrow();
    const shared = new SharedArrayBuffer(8);
    dropBuffer(shared);
    expect(shared.byteLength).toBe(8);
  });
});
