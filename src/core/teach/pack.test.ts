import { describe, expect, it } from 'vitest';
import { parsePack, PACK_FORMAT } from './pack';

const sha = 'a'.repeat(64);
const good = {
  format: PACK_FORMAT,
  version: 1,
  id: 'sample',
  title: 'Sample',
  createdAt: '2026-11-29T00:00:00Z',
  cases: [{ id: 'c1', photo: 'photos/c1.jpg', photoSha256: sha, diagnosis: { labelId: 'nevus', name: 'Nevus' }, source: 'ISIC Archive', license: 'CC0' }],
};
const photos = new Set(['photos/c1.jpg']);
const labels = new Set(['nevus']);

describe('parsePack', () => {
  it('accepts a good pack and fills defaults', () => {
    const p = parsePack(good, photos, labels);
    expect(p.cases[0]).toMatchObject({ question: 'What is the most likely diagnosis?', notes: '' });
  });
  it.each([
    [{ ...good, format: 'zip' }, /format must be "dermlip-teaching-pack"/],
    [{ ...good, version: 2 }, /version must be 1/],
    [{ ...good, cases: [] }, /at least one case/],
    [{ ...good, cases: [{ ...good.cases[0], photo: 'photos/../x.jpg' }] }, /photos\/<name>/],
    [{ ...good, cases: [{ ...good.cases[0], photo: '/etc/passwd' }] }, /photos\/<name>/],
    [{ ...good, cases: [{ ...good.cases[0], license: '' }] }, /license/],
    [{ ...good, cases: [good.cases[0], good.cases[0]] }, /two cases have the id "c1"/],
    [{ ...good, cases: [{ ...good.cases[0], photo: 'photos/c2.jpg' }] }, /names photos\/c2.jpg, which is not in the file/],
    [{ ...good, cases: [{ ...good.cases[0], diagnosis: { labelId: 'zzz', name: 'Made up' } }] }, /"Made up" \(zzz\), which is not a diagnosis/],
    [{ ...good, title: 'x'.repeat(201) }, /title must be at most 200/],
  ])('refuses %#, naming the problem', (json, message) => {
    expect(() => parsePack(json, photos, labels)).toThrow(message);
  });
});
