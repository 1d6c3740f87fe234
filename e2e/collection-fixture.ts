/**
 * A generated labelled collection for the collection tests: small PNG photos whose colours depend
 * on their class (so a linear probe can learn something even on random weights), a HAM10000-style
 * CSV (image_id, dx, and metadata columns) with a few labels no class list knows and two rows
 * without a photo, and a few bad files (empty, not a photo, a PDF, text named .jpg, a truncated
 * PNG, and a PNG that passes the header check but cannot be decoded). Seeded: the same every run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { mulberry32 } from '../src/core/random';
import { chunk, rgbPng } from './png';

/** Class -> base colour and pattern frequency. */
const CLASSES: Record<string, { rgb: [number, number, number]; freq: number }> = {
  mel: { rgb: [70, 40, 30], freq: 3 },
  nv: { rgb: [160, 110, 80], freq: 1 },
  bkl: { rgb: [190, 160, 120], freq: 6 },
  bcc: { rgb: [210, 130, 140], freq: 2 },
  // labels no class list maps
  blob: { rgb: [90, 160, 90], freq: 4 },
  unknown_xyz: { rgb: [60, 90, 200], freq: 5 },
};

export interface GeneratedCollection {
  dir: string;
  /** The folder to hand to a webkitdirectory input. */
  folder: string;
  zip: Buffer;
  /** Good photos (decodable), by class. */
  photos: { name: string; dx: string; fitzpatrick: string; site: string }[];
  /** Files the import must refuse, with a piece of the expected reason. */
  refusedAtImport: { name: string; reason: string }[];
  /** A photo that passes the import check but cannot be decoded (caught while indexing). */
  unreadable: string;
  cleanup(): void;
}

/** `perClass` photos of each HAM class, 3 of each unmappable label, and the bad files. */
export function makeCollection(perClass: number, seed = 7): GeneratedCollection {
  const random = mulberry32(seed);
  const dir = mkdtempSync(join(tmpdir(), 'dermlip-collection-'));
  const folder = join(dir, 'derm-test');
  mkdirSync(join(folder, 'images'), { recursive: true });
  const files: Record<string, Uint8Array> = {};
  const put = (name: string, data: Buffer | string) => {
    const b = typeof data === 'string' ? Buffer.from(data) : data;
    writeFileSync(join(folder, name), b);
    files[`derm-test/${name}`] = new Uint8Array(b);
  };
  const photos: GeneratedCollection['photos'] = [];
  const sites = ['back', 'face', 'arm', 'leg'];
  let n = 0;
  for (const [dx, spec] of Object.entries(CLASSES)) {
    const count = dx === 'blob' || dx === 'unknown_xyz' ? 3 : perClass;
    for (let i = 0; i < count; i++) {
      const name = `TEST_${String(n++).padStart(5, '0')}`;
      const size = 40 + Math.floor(random() * 40);
      const phase = random() * Math.PI * 2;
      const jitter = () => Math.floor((random() - 0.5) * 40);
      const base = spec.rgb.map((c) => c + jitter()) as [number, number, number];
      const png = rgbPng(size, size + Math.floor(random() * 20), (x, y) => {
        const w = Math.sin((x * spec.freq) / 6 + phase) * Math.cos((y * spec.freq) / 7) * 40;
        return base.map((c) => Math.max(0, Math.min(255, Math.round(c + w + (random() - 0.5) * 12)))) as [number, number, number];
      });
      put(`images/${name}.png`, png);
      photos.push({ name, dx, fitzpatrick: ['I', 'II', 'III', 'IV', 'V', 'VI'][Math.floor(random() * 6)], site: sites[Math.floor(random() * sites.length)] });
    }
  }
  const rows = photos.map((p) => `${p.name},${p.dx},${p.fitzpatrick},${p.site}`);
  rows.push('TEST_99998,mel,II,back', 'TEST_99999,nv,III,face');
  put('HAM_metadata.csv', `image_id,dx,fitzpatrick,site\n${rows.join('\n')}\n`);
  const good = rgbPng(48, 48, (x, y) => [x * 5, y * 5, 100]);
  put('images/empty.jpg', '');
  put('images/notes.txt', 'not a photo');
  put('images/report.pdf', '%PDF-1.4\n%...\n');
  put('images/fake.jpg', 'this is text with a .jpg name');
  put('images/truncated.png', good.subarray(0, 60));
  // A valid PNG frame whose compressed pixels are garbage: the header check passes, decoding fails.
  const ihdr = good.subarray(8, 33);
  const badIdat = chunk('IDAT', Buffer.from('definitely not zlib data, but long enough to look like some'));
  put('images/corrupt.png', Buffer.concat([good.subarray(0, 8), ihdr, badIdat, chunk('IEND', Buffer.alloc(0))]));
  return {
    dir,
    folder,
    zip: Buffer.from(zipSync(files, { level: 0 })),
    photos,
    refusedAtImport: [
      { name: 'images/empty.jpg', reason: 'empty file' },
      { name: 'images/notes.txt', reason: 'not a photo (.txt)' },
      { name: 'images/report.pdf', reason: 'not a photo (.pdf)' },
      { name: 'images/fake.jpg', reason: 'is not an image this app can read' },
      { name: 'images/truncated.png', reason: 'was cut short' },
    ],
    unreadable: 'corrupt.png',
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
