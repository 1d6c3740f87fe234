/**
 * One recipe, two implementations: tools/model/quantize.py (numpy, run here by /usr/bin/python3)
 * and recipes.ts must make the same bytes from the same float32 tensors, edge cases included
 * (ties at .5, zero and one-signed columns, subnormals, fp16 overflow and rounding ties, a K that
 * is not a multiple of the q4 block, an odd number of blocks).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYTHON } from '../../../test/helpers/checkpoints';
import { f32BitsToF16, quantizeInt8Columns, quantizeInt8Rows, quantizeQ4Blocks, rint, toF16Bytes, transpose } from './recipes';

const SCRIPT = `
import sys, json, numpy as np
sys.path.insert(0, "tools/model")
import quantize
out = sys.argv[1]
rng = np.random.default_rng(7)
cases = {}
a = (rng.normal(size=(70, 48)) * 0.05).astype(np.float32)          # K=70: 3 q4 blocks, padded
a[:, 0] = 0; a[:, 1] = np.abs(a[:, 1]); a[:, 2] = -np.abs(a[:, 2])   # zero, positive, negative columns
a[:5, 3] = [1.27, -0.635, 0.005, 0.015, -0.025]                      # exact .5 ties for int8 (scale 0.01)
a[:, 4] = np.float32(1e-42)                                          # subnormals
cases["mixed"] = a
cases["wide"] = (rng.normal(size=(64, 300)) * 3).astype(np.float32)
cases["tall"] = (rng.standard_t(3, size=(515, 7))).astype(np.float32)
for name, w in cases.items():
    w.tofile(f"{out}/{name}.f32")
    q, s = quantize.quantize_int8_columns(w); q.tofile(f"{out}/{name}.int8col.q"); s.tofile(f"{out}/{name}.int8col.scale")
    q, s = quantize.quantize_int8_rows(w); q.tofile(f"{out}/{name}.int8row.q"); s.tofile(f"{out}/{name}.int8row.scale")
    p, s, z = quantize.quantize_q4_blocks(w); p.tofile(f"{out}/{name}.q4.packed"); s.tofile(f"{out}/{name}.q4.scales"); z.tofile(f"{out}/{name}.q4.zp")
    w.astype("<f2").tofile(f"{out}/{name}.f16")
json.dump({k: list(v.shape) for k, v in cases.items()}, open(f"{out}/shapes.json", "w"))
# float16 edge values: every rounding regime, ties to even, overflow, subnormals, signed zero
bits = np.array([0, 0x80000000, 0x33000000, 0x33000001, 0x337fffff, 0x387fc000, 0x38800000, 0x3f801000, 0x3f803000,
                 0x3f801001, 0x477fe000, 0x477fefff, 0x477ff000, 0x47800000, 0x7f800000, 0xff800000, 0x00000001,
                 0x3a000000, 0x39fff000, 0x38000800, 0x37801000], dtype=np.uint32)
bits = np.concatenate([bits, rng.integers(0, 2**32, size=200000, dtype=np.uint32)])
f = bits.view(np.float32)
f = f[np.isfinite(f) | np.isinf(f)]
f = f[~np.isnan(f)]
f.tofile(f"{out}/edges.f32"); f.astype("<f2").tofile(f"{out}/edges.f16")
`;

const dir = mkdtempSync(join(tmpdir(), 'recipes-'));
execFileSync(PYTHON, ['-c', SCRIPT, dir], { stdio: 'pipe' });
const read = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
const f32 = (name: string) => new Float32Array(read(name).slice().buffer);
const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const shapes = JSON.parse(readFileSync(join(dir, 'shapes.json'), 'utf8')) as Record<string, [number, number]>;

describe('recipes.ts makes the bytes quantize.py makes, bit for bit', () => {
  for (const [name, [k, n]] of Object.entries(shapes)) {
    it(`${name} [${k}, ${n}]`, () => {
      const w = f32(`${name}.f32`);
      const col = quantizeInt8Columns(w, k, n);
      expect(bytes(col.q)).toEqual(read(`${name}.int8col.q`));
      expect(bytes(col.scale)).toEqual(read(`${name}.int8col.scale`));
      const row = quantizeInt8Rows(w, k, n);
      expect(bytes(row.q)).toEqual(read(`${name}.int8row.q`));
      expect(bytes(row.scale)).toEqual(read(`${name}.int8row.scale`));
      const q4 = quantizeQ4Blocks(w, k, n);
      expect(q4.packed).toEqual(read(`${name}.q4.packed`));
      expect(bytes(q4.scales)).toEqual(read(`${name}.q4.scales`));
      expect(q4.zp).toEqual(read(`${name}.q4.zp`));
      expect(toF16Bytes(w)).toEqual(read(`${name}.f16`));
    });
  }
  it('float32 -> float16 on 200,000 random bit patterns and every rounding edge (ties to even, overflow, subnormals)', () => {
    const got = toF16Bytes(f32('edges.f32'));
    const want = read('edges.f16');
    let first = -1;
    for (let i = 0; i < want.length && first < 0; i++) if (got[i] !== want[i]) first = i >> 1;
    expect(first, first >= 0 ? `value ${f32('edges.f32')[first]}` : '').toBe(-1);
  });
});

describe('helpers', () => {
  it('rint rounds half to even, as numpy', () => {
    expect([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.4999, -3.7].map((x) => rint(x) + 0)).toEqual([-2, -2, 0, 0, 2, 2, 2, -4]);
  });
  it('f16 of a few values', () => {
    const b = (x: number) => new Uint32Array(new Float32Array([x]).buffer)[0];
    expect(f32BitsToF16(b(1))).toBe(0x3c00);
    expect(f32BitsToF16(b(65504))).toBe(0x7bff);
    expect(f32BitsToF16(b(1e6))).toBe(0x7c00);
    expect(f32BitsToF16(b(-2))).toBe(0xc000);
  });
  it('transpose', () => {
    expect([...transpose(new Float32Array([1, 2, 3, 4, 5, 6]), 2, 3)]).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
