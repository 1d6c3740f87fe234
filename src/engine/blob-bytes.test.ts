// BlobBytes: the Uint8Array stand-in the engine gives onnxruntime-web for weights kept in a Blob.
// The fake Blob below records each slice it is asked for; the reader returns that range of real bytes
// (Node has no synchronous Blob read, the worker uses FileReaderSync).
import { describe, expect, it } from 'vitest';
import { fakeBlob } from '../../test/helpers/fake-blob';
import { BlobBytes, createFromBlob } from './blob-bytes';

describe('BlobBytes', () => {
  const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);

  it('is a Uint8Array (what the runtime checks) whose byteLength is the Blob size', () => {
    const { blob, read } = fakeBlob(bytes);
    const b = new BlobBytes(blob, read);
    expect(b instanceof Uint8Array).toBe(true);
    expect(b.byteLength).toBe(100);
    expect(b.bytesRead).toBe(0);
  });

  it('subarray reads just that range of the Blob, as a copy, and counts it', () => {
    const { blob, read, slices } = fakeBlob(bytes);
    const b = new BlobBytes(blob, read);
    expect([...b.subarray(10, 14)]).toEqual([10, 11, 12, 13]);
    expect([...b.subarray(98)]).toEqual([98, 99]);
    expect([...b.subarray(-3, -1)]).toEqual([97, 98]);
    expect(b.subarray(50, 40).byteLength).toBe(0);
    expect(slices).toEqual([{ start: 10, end: 14 }, { start: 98, end: 100 }, { start: 97, end: 99 }, { start: 50, end: 50 }]);
    expect(b.bytesRead).toBe(8);
  });

  it('a short read is an error, not silently wrong weights', () => {
    const { blob } = fakeBlob(bytes);
    const b = new BlobBytes(blob, () => new ArrayBuffer(2));
    expect(() => b.subarray(0, 4)).toThrow(/read 2 bytes of the weights file at 0, expected 4/);
  });
});

describe('createFromBlob', () => {
  const bytes = Uint8Array.from({ length: 16 }, (_, i) => i);

  it('keeps the lazy session when the runtime read the weights through it', async () => {
    const { blob, read } = fakeBlob(bytes);
    const r = await createFromBlob(blob, async (w) => w.subarray(0, 4)[3], async () => undefined, read);
    expect(r).toEqual({ session: 3, lazy: true });
  });

  it('falls back to one whole copy when the runtime did not read through it (and releases the first session)', async () => {
    const { blob, read } = fakeBlob(bytes);
    const released: number[] = [];
    const r = await createFromBlob(blob, async (w) => w.length, async (s) => void released.push(s), read);
    expect(r).toEqual({ session: 16, lazy: false });
    expect(released).toEqual([0]);
  });

  it('falls back when the runtime fails with it, and a failure of the whole copy is thrown as is', async () => {
    const { blob, read } = fakeBlob(bytes);
    let calls = 0;
    const create = async (w: Uint8Array) => {
      calls++;
      if (w instanceof BlobBytes) throw new Error('lazy failed');
      throw new Error('the graph is broken');
    };
    await expect(createFromBlob(blob, create, async () => undefined, read)).rejects.toThrow('the graph is broken');
    expect(calls).toBe(2);
  });
});
