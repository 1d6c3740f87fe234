import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashBytes, readHashed, StreamTooLong } from './stream-hash';

function streamOf(chunks: Uint8Array[], failAfter?: number): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (failAfter !== undefined && i === failAfter) return c.error(new Error('connection reset'));
      if (i < chunks.length) c.enqueue(chunks[i++]);
      else c.close();
    },
  });
}

/** A byte stream (like fetch and Cache Storage bodies). */
function byteStreamOf(chunks: Uint8Array[], failAfter?: number): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    type: 'bytes',
    pull(c) {
      if (failAfter !== undefined && i === failAfter) return c.error(new Error('connection reset'));
      if (i < chunks.length) return c.enqueue(chunks[i++].slice());
      c.close();
      c.byobRequest?.respond(0); // a pending BYOB read learns of the close
    },
  }) as ReadableStream<Uint8Array>;
}

const bytes = Uint8Array.from({ length: 300_001 }, (_, i) => (i * 2654435761) >>> 24);
const chunks = [bytes.subarray(0, 1), bytes.subarray(1, 65_537), bytes.subarray(65_537, 250_000), bytes.subarray(250_000)];
const expectedSha = createHash('sha256').update(bytes).digest('hex');

describe.each([
  ['default reader', streamOf],
  ['byte stream', byteStreamOf],
] as const)('readHashed (%s)', (_, streamOf) => {
  it('assembles the chunks and hashes them like a one-shot sha256', async () => {
    const seen: number[] = [];
    const r = await readHashed(streamOf(chunks), bytes.length, (n) => seen.push(n));
    expect(r.loaded).toBe(bytes.length);
    expect(r.sha256).toBe(expectedSha);
    expect(Buffer.from(r.data).equals(Buffer.from(bytes))).toBe(true);
    expect(seen.at(-1)).toBe(300_001);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('reports a short stream by its length (the caller refuses it)', async () => {
    const r = await readHashed(streamOf(chunks.slice(0, 2)), bytes.length);
    expect(r.loaded).toBe(65_537);
    expect(r.sha256).toBe(createHash('sha256').update(bytes.subarray(0, 65_537)).digest('hex'));
  });

  it('stops at the first byte beyond the expected size', async () => {
    await expect(readHashed(streamOf(chunks), bytes.length - 1)).rejects.toBeInstanceOf(StreamTooLong);
  });

  it('passes a stream error through unchanged', async () => {
    await expect(readHashed(streamOf(chunks, 2), bytes.length)).rejects.toThrow('connection reset');
  });

  it('a changed byte changes the digest', async () => {
    const tampered = bytes.slice();
    tampered[123_456] ^= 1;
    const r = await readHashed(streamOf([tampered]), bytes.length);
    expect(r.sha256).not.toBe(expectedSha);
  });
});

describe('hashBytes', () => {
  it('gives the sha256 of bytes in memory, across its 4 MiB slices', async () => {
    const big = Uint8Array.from({ length: (4 << 20) * 2 + 123 }, (_, i) => (i * 40503) >>> 9);
    expect(await hashBytes(big)).toBe(createHash('sha256').update(big).digest('hex'));
    expect(await hashBytes(bytes)).toBe(expectedSha);
    expect(await hashBytes(new Uint8Array(0))).toBe(createHash('sha256').digest('hex'));
  });
});
