import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { openZip } from './zip-reader';

describe('openZip', () => {
  it('lists files and reads each one on demand, checked', async () => {
    const big = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
    const zip = zipSync({ 'd/': {}, 'd/a.jpg': [strToU8('stored'), { level: 0 }], 'd/big.bin': big });
    const entries = await openZip(new Blob([zip]), 'p.zip');
    expect(entries.map((e) => [e.path, e.size])).toEqual([
      ['d/a.jpg', 6],
      ['d/big.bin', 300_000],
    ]);
    expect(new TextDecoder().decode(await entries[0].read())).toBe('stored');
    expect(await entries[1].read()).toEqual(big);
  });
  it('refuses damaged entries with the entry named', async () => {
    const zip = zipSync({ 'a.txt': [strToU8('hello world, hello world'), { level: 0 }] });
    const bad = zip.slice();
    const at = bad.indexOf(0x68); // first 'h' of the data
    bad[at] = 0x48;
    const [e] = await openZip(new Blob([bad]), 'p.zip');
    await expect(e.read()).rejects.toThrow('"a.txt" in "p.zip" is damaged: its contents do not match');
    await expect(openZip(new Blob([zip.slice(0, zip.length - 30)]), 'cut.zip')).rejects.toThrow('"cut.zip" is not a .zip archive');
  });
});
