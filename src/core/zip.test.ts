import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { makeZip, zeroBomb } from '../../test/helpers/zip-writer';
import { findManifestPath, inflateEntry, listZip, unsafeEntryName, type ReadAt, type ZipEntry } from './zip';

function reader(buf: Buffer): { readAt: ReadAt; size: number; read: () => number } {
  let read = 0;
  return {
    size: buf.length,
    read: () => read,
    readAt: async (o, n) => {
      read += n;
      return new Uint8Array(buf.buffer, buf.byteOffset + o, Math.min(n, buf.length - o));
    },
  };
}

async function unpack(buf: Buffer, entry: ZipEntry, limit?: number): Promise<{ data: Buffer; largestChunk: number }> {
  const r = reader(buf);
  const parts: Buffer[] = [];
  let largestChunk = 0;
  await inflateEntry(r.readAt, r.size, entry, 't.zip', (c) => (parts.push(Buffer.from(c)), (largestChunk = Math.max(largestChunk, c.length))), limit);
  return { data: Buffer.concat(parts), largestChunk };
}

describe('zip: central directory', () => {
  it('lists entries with their sizes; the bytes come back exactly (deflated and stored)', async () => {
    const a = randomBytes(300_000);
    const b = Buffer.from('{"id":"x"}');
    const zip = makeZip([{ name: 'bundle/a.bin', data: a }, { name: 'bundle/manifest.json', data: b, store: true }, { name: 'bundle/', data: Buffer.alloc(0), store: true }]);
    expect(Object.keys(unzipSync(zip))).toContain('bundle/a.bin'); // the writer makes zips other readers read
    const r = reader(zip);
    const entries = await listZip(r.readAt, r.size, 't.zip');
    expect(entries.map((e) => [e.name, e.size, e.method])).toEqual([['bundle/a.bin', 300_000, 8], ['bundle/manifest.json', b.length, 0], ['bundle/', 0, 0]]);
    expect((await unpack(zip, entries[0])).data.equals(a)).toBe(true);
    expect((await unpack(zip, entries[1])).data.equals(b)).toBe(true);
  });

  it('refuses hostile names, naming the entry and the reason', async () => {
    const cases: [string, RegExp][] = [
      ['../evil.txt', /entry "..\/evil.txt" is refused: it points outside the folder/],
      ['bundle/../../x', /points outside the folder/],
      ['/etc/passwd', /entry "\/etc\/passwd" is refused: it is an absolute path/],
      ['C:/Windows/x.dll', /is an absolute path/],
      ['bundle\\manifest.json', /contains a backslash/],
      ['a\u0000b', /not a plain relative path/],
    ];
    for (const [name, why] of cases) {
      const zip = makeZip([{ name: 'ok.txt', data: Buffer.from('x') }, { name, data: Buffer.from('x') }]);
      const r = reader(zip);
      await expect(listZip(r.readAt, r.size, 'hostile.zip'), name).rejects.toThrow(why);
    }
    expect(unsafeEntryName('bundle/')).toBeNull();
    const dup = makeZip([{ name: 'a', data: Buffer.from('1') }, { name: 'a', data: Buffer.from('2') }]);
    await expect(listZip(reader(dup).readAt, dup.length, 'dup.zip')).rejects.toThrow('entry "a" appears twice');
  });

  it('refuses thousands of entries from the count alone, before reading the directory', async () => {
    const zip = makeZip(Array.from({ length: 5000 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('x'), store: true })));
    const r = reader(zip);
    await expect(listZip(r.readAt, r.size, 'many.zip')).rejects.toThrow('"many.zip" was refused: it has 5,000 entries; a model bundle has a few dozen files, and at most 1,000 are accepted.');
    expect(r.read()).toBeLessThan(70_000); // the tail only
  });

  it('refuses a zip bomb from its declared sizes (zip64 too) without inflating anything', async () => {
    const bomb = zeroBomb(4 * 1024 ** 3);
    expect(bomb.length).toBeLessThan(5e6);
    const zip = makeZip([{ name: 'big.bin', deflated: bomb, size: 4 * 1024 ** 3 }]);
    const r = reader(zip);
    const t0 = performance.now();
    await expect(listZip(r.readAt, r.size, 'bomb.zip')).rejects.toThrow('"bomb.zip" was refused: entry "big.bin" declares 4.3 GB when unpacked; one file of a bundle may be at most 2.1 GB.');
    expect(performance.now() - t0).toBeLessThan(200);
    expect(r.read()).toBeLessThan(70_000);
    const many = makeZip([1, 2, 3, 4].map((i) => ({ name: `p${i}.bin`, deflated: bomb.subarray(0, 0), size: 1.9 * 1024 ** 3 })));
    await expect(listZip(reader(many).readAt, many.length, 'four.zip')).rejects.toThrow(/its entries declare more than 6.4 GB when unpacked/);
  });

  it('not a zip, or truncated', async () => {
    await expect(listZip(reader(Buffer.from('hello')).readAt, 5, 'x.zip')).rejects.toThrow('too short');
    await expect(listZip(reader(randomBytes(1000)).readAt, 1000, 'x.zip')).rejects.toThrow('not a .zip file');
    const zip = makeZip([{ name: 'a.bin', data: randomBytes(5000) }]);
    const cut = Buffer.concat([zip.subarray(0, 100), zip.subarray(zip.length - 70)]);
    await expect(listZip(reader(cut).readAt, cut.length, 'cut.zip')).rejects.toThrow(/outside the file/);
  });
});

describe('zip: inflating with a cap', () => {
  it('a 4 GB bomb that declares 9 KB stops right after 9 KB, in bounded memory and well under a second', async () => {
    const zip = makeZip([{ name: 'manifest.json', deflated: zeroBomb(4 * 1024 ** 3), size: 9025 }]);
    const r = reader(zip);
    const [entry] = await listZip(r.readAt, r.size, 'bomb.zip');
    const t0 = performance.now();
    let largest = 0;
    let total = 0;
    await expect(inflateEntry(r.readAt, r.size, entry, 'bomb.zip', (c) => ((total += c.length), (largest = Math.max(largest, c.length))))).rejects.toThrow(
      '"bomb.zip" was refused: entry "manifest.json" unpacks to more than the 9,025 bytes its directory declares (a zip bomb, or a damaged file).',
    );
    expect(performance.now() - t0).toBeLessThan(500);
    expect(total).toBeLessThanOrEqual(9025);
    // One read block of compressed data, whatever the size of the zip.
    expect(r.read()).toBeLessThan(1.2e6);
  });

  it('a tighter limit than the declared size (the manifest cap) stops there', async () => {
    const zip = makeZip([{ name: 'manifest.json', data: Buffer.alloc(3 * 1024 * 1024, 32) }]);
    const r = reader(zip);
    const [entry] = await listZip(r.readAt, r.size, 'm.zip');
    await expect(unpack(zip, entry, 1024 * 1024)).rejects.toThrow('entry "manifest.json" unpacks to more than 1.0 MB, the most allowed for it');
  });

  it('an entry that unpacks to less than declared, or is not DEFLATE, is damaged', async () => {
    const short = makeZip([{ name: 'a.bin', data: Buffer.alloc(1000, 7), size: 2000 }]);
    const [e1] = await listZip(reader(short).readAt, short.length, 's.zip');
    await expect(unpack(short, e1)).rejects.toThrow('entry "a.bin" unpacks to 1,000 bytes, not the 2,000 its directory declares');
    const garbage = makeZip([{ name: 'g.bin', deflated: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]), size: 10 }]);
    const [e2] = await listZip(reader(garbage).readAt, garbage.length, 'g.zip');
    await expect(unpack(garbage, e2)).rejects.toThrow(/entry "g.bin" is damaged/);
  });

  it('inflates a large honest entry in steps (each chunk small)', async () => {
    const data = Buffer.concat([randomBytes(3_000_000), Buffer.alloc(5_000_000)]);
    const zip = makeZip([{ name: 'w.bin', data }]);
    const [entry] = await listZip(reader(zip).readAt, zip.length, 'w.zip');
    const { data: out, largestChunk } = await unpack(zip, entry);
    expect(out.equals(data)).toBe(true);
    expect(largestChunk).toBeLessThan(17 * 1024 * 1024);
  });
});

describe('findManifestPath', () => {
  it('takes the shallowest manifest.json', () => {
    expect(findManifestPath(['b/x/manifest.json', 'b/manifest.json', 'b/a.onnx'])).toBe('b/manifest.json');
    expect(findManifestPath(['manifest.json.bak', 'notmanifest.json'])).toBeNull();
  });
});
