import { inflateSync, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { localDataOffset, readCentralDirectory, readEndRecord, readZip64EndRecord, TAIL_BYTES, utf8, type ZipDirectory, type ZipEntry } from './zip-format';

/** Read a whole archive the way storage/zip-reader.ts does: end record, directory, then each entry. */
function readAll(zip: Uint8Array): { entries: ZipEntry[]; data: Map<string, string> } {
  const tailOffset = Math.max(0, zip.length - TAIL_BYTES);
  let dir: ZipDirectory | { zip64At: number } = readEndRecord(zip.subarray(tailOffset), tailOffset, 't.zip');
  if ('zip64At' in dir) dir = readZip64EndRecord(zip.subarray(dir.zip64At, dir.zip64At + 56), 't.zip');
  const entries = readCentralDirectory(zip.subarray(dir.cdOffset, dir.cdOffset + dir.cdSize), dir, 't.zip');
  const data = new Map<string, string>();
  for (const e of entries) {
    if (e.isDirectory) continue;
    const at = localDataOffset(zip.subarray(e.localOffset, e.localOffset + 30), e, 't.zip');
    const raw = zip.subarray(at, at + e.compressedSize);
    const bytes = e.method === 8 ? inflateSync(raw) : raw;
    data.set(e.name, new TextDecoder().decode(bytes));
  }
  return { entries, data };
}

describe('zip structure', () => {
  it('reads stored and deflated entries, folders, UTF-8 names and a comment', () => {
    const zip = zipSync(
      { empty: {}, 'photos/a.jpg': [strToU8('stored bytes'), { level: 0 }], 'photos/Mélanome é.png': strToU8('deflated '.repeat(50)), 'labels.csv': strToU8('id,dx\n') },
      { comment: 'a comment, which sits after the end record' },
    );
    const { entries, data } = readAll(zip);
    expect(entries.map((e) => [e.name, e.method, e.isDirectory])).toEqual([
      ['empty/', 8, true],
      ['photos/a.jpg', 0, false],
      ['photos/Mélanome é.png', 8, false],
      ['labels.csv', 8, false],
    ]);
    expect(data.get('photos/a.jpg')).toBe('stored bytes');
    expect(data.get('photos/Mélanome é.png')).toBe('deflated '.repeat(50));
    expect(entries[2].size).toBe(450);
    expect(entries.every((e) => !e.encrypted)).toBe(true);
  });

  it('reads a Zip64 archive (64-bit sizes and offsets in the extra field, Zip64 end record)', () => {
    const name = strToU8('big.bin');
    const body = strToU8('zip64 body');
    const parts: number[] = [];
    const u16 = (v: number) => parts.push(v & 255, v >> 8);
    const u32 = (v: number) => (u16(v & 0xffff), u16(v >>> 16));
    const u64 = (v: number) => (u32(v), u32(0));
    // local header
    u32(0x04034b50), u16(45), u16(0), u16(0), u16(0), u16(0), u32(0), u32(0xffffffff), u32(0xffffffff), u16(name.length), u16(20);
    parts.push(...name);
    u16(1), u16(16), u64(body.length), u64(body.length);
    parts.push(...body);
    const cdOffset = parts.length;
    u32(0x02014b50), u16(45), u16(45), u16(0x800), u16(0), u16(0), u16(0), u32(0), u32(0xffffffff), u32(0xffffffff), u16(name.length), u16(28), u16(0), u16(0), u16(0), u32(0), u32(0xffffffff);
    parts.push(...name);
    u16(1), u16(24), u64(body.length), u64(body.length), u64(0);
    const cdSize = parts.length - cdOffset;
    const z64At = parts.length;
    u32(0x06064b50), u64(44), u16(45), u16(45), u32(0), u32(0), u64(1), u64(1), u64(cdSize), u64(cdOffset);
    u32(0x07064b50), u32(0), u64(z64At), u32(1);
    u32(0x06054b50), u16(0), u16(0), u16(0xffff), u16(0xffff), u32(0xffffffff), u32(0xffffffff), u16(0);
    const { entries, data } = readAll(new Uint8Array(parts));
    expect(entries[0]).toMatchObject({ name: 'big.bin', size: 10, compressedSize: 10, localOffset: 0 });
    expect(data.get('big.bin')).toBe('zip64 body');
  });

  it('says what is wrong with a damaged archive', () => {
    const zip = zipSync({ 'a.txt': strToU8('hello') });
    expect(() => readAll(strToU8('not a zip at all'))).toThrow('is not a .zip archive');
    const cut = zip.slice(20);
    expect(() => readAll(cut)).toThrow(/cut short|damaged/);
    const bad = zip.slice();
    const cd = readEndRecord(bad, 0, 't.zip') as ZipDirectory;
    bad[cd.cdOffset] = 0;
    expect(() => readAll(bad)).toThrow('entry 1 of its table of contents is damaged');
    const noLocal = zip.slice();
    noLocal[0] = 0;
    expect(() => readAll(noLocal)).toThrow('no local header');
  });

  it('decodes UTF-8, replacing invalid bytes', () => {
    expect(utf8(strToU8('aé€😀'))).toBe('aé€😀');
    expect(utf8(new Uint8Array([0x61, 0xc3]))).toBe('a\ufffd');
    expect(utf8(new Uint8Array([0xff, 0x62]))).toBe('\ufffdb');
  });
});

describe('crc32', () => {
  it('matches the zip writer', async () => {
    const { crc32 } = await import('./zip-format');
    const data = strToU8('The quick brown fox jumps over the lazy dog');
    expect(crc32(data)).toBe(0x414fa339);
    expect(crc32(data.subarray(10), crc32(data.subarray(0, 10)))).toBe(0x414fa339);
    const zip = zipSync({ 'f.txt': data });
    const { entries } = readAll(zip);
    expect(entries[0].crc32).toBe(crc32(data));
  });
});
