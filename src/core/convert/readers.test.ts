/**
 * The checkpoint readers against files torch and the toolchain write (made here by
 * /usr/bin/python3): torch zip with pickle protocols 2 and 4, strided views, fp16 and bf16
 * widened exactly as torch widens them; and the strict pickle interpreter against pickles that
 * try to run code or build objects.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSource, fixtureCheckpoint, PYTHON } from '../../../test/helpers/checkpoints';
import { openCheckpoint } from './checkpoint';
import { stateDictTensors, unpickle } from './pickle';
import { openSafetensors } from './safetensors';
import { memorySource } from './source';
import { readTensorF32 } from './tensors';

const SCRIPT = `
import sys, os, pickle, collections, torch
sys.path.insert(0, "tools/model")
import checkpoint
out = sys.argv[1]
g = torch.Generator().manual_seed(3)
base = torch.randn(3, 5, generator=g)
sd = collections.OrderedDict([("t", base.t()), ("row", base[1]), ("scalar", torch.tensor(2.5)), ("big", torch.randn(40, 7, generator=g))])
torch.save(sd, f"{out}/p2.bin")
torch.save(sd, f"{out}/p4.bin", pickle_protocol=4)
for dt in ("float16", "bfloat16"):
    d = {k: v.contiguous().to(getattr(torch, dt)) for k, v in sd.items()}
    torch.save(d, f"{out}/{dt}.bin")
    open(f"{out}/{dt}.safetensors", "wb").write(checkpoint.safetensors_bytes(d))
    torch.cat([v.float().reshape(-1) for v in d.values()]).numpy().tofile(f"{out}/{dt}.widened")
torch.cat([v.contiguous().reshape(-1) for v in sd.values()]).numpy().tofile(f"{out}/f32")
class Eval:
    def __reduce__(self): return (eval, ("1+1",))
class Param:
    def __reduce__(self): return (torch._utils._rebuild_parameter, (1, 2, 3))
class Foo: pass
open(f"{out}/eval4.pkl", "wb").write(pickle.dumps({"a": Eval()}, protocol=4))
open(f"{out}/param.pkl", "wb").write(pickle.dumps({"a": Param()}, protocol=2))
open(f"{out}/obj.pkl", "wb").write(pickle.dumps({"a": Foo()}, protocol=2))
torch.save({"epoch": 3, "state_dict": sd}, f"{out}/training.bin")
`;
const dir = mkdtempSync(join(tmpdir(), 'readers-'));
execFileSync(PYTHON, ['-c', SCRIPT, dir], { stdio: 'pipe' });
const file = (n: string) => join(dir, n);
const f32 = (n: string) => new Float32Array(new Uint8Array(readFileSync(file(n))).buffer);

async function flat(path: string): Promise<Float32Array> {
  const src = fileSource(path);
  const index = await openCheckpoint(src);
  const parts = await Promise.all(['t', 'row', 'scalar', 'big'].map((k) => readTensorF32(src, index.tensors.get(k)!)));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

describe('torch zip and safetensors readers', () => {
  it('read torch.save files (pickle protocols 2 and 4), strided views and 0-d tensors as torch has them', async () => {
    for (const p of ['p2.bin', 'p4.bin']) {
      const index = await openCheckpoint(fileSource(file(p)));
      expect([...index.tensors.keys()]).toEqual(['t', 'row', 'scalar', 'big']);
      expect(index.tensors.get('t')).toMatchObject({ shape: [5, 3], strides: [1, 5] });
      expect(index.tensors.get('scalar')!.shape).toEqual([]);
      expect(await flat(file(p))).toEqual(f32('f32'));
    }
  });
  it('widen float16 and bfloat16 to float32 exactly as torch does (both formats)', async () => {
    for (const dt of ['float16', 'bfloat16']) {
      expect(await flat(file(`${dt}.bin`)), `${dt}.bin`).toEqual(f32(`${dt}.widened`));
      expect(await flat(file(`${dt}.safetensors`)), `${dt}.safetensors`).toEqual(f32(`${dt}.widened`));
    }
  });
  it('the fixture checkpoint: both formats hold the same 62 tensors', async () => {
    const ck = fixtureCheckpoint('tiny');
    const a = await openCheckpoint(fileSource(ck.bin));
    const b = await openCheckpoint(fileSource(ck.safetensors));
    expect(a.format).toBe('torch');
    expect(b.format).toBe('safetensors');
    expect(new Set(a.tensors.keys())).toEqual(new Set(b.tensors.keys()));
    expect(a.tensors.size).toBe(62);
  });
  it('refuse a training checkpoint (a dict holding a state dict) with what it holds', async () => {
    await expect(openCheckpoint(fileSource(file('training.bin')))).rejects.toThrow(/not a plain state dict: "epoch" is not a tensor \(top-level keys: epoch, state_dict/);
  });
});

describe('the strict pickle interpreter refuses anything but a state dict, naming it', () => {
  it('a global that runs code (builtins.eval through STACK_GLOBAL, protocol 4)', () => {
    expect(() => unpickle(readFileSync(file('eval4.pkl')))).toThrow(/names builtins\.eval, which a state dict never needs: the file was refused and nothing in it was run/);
  });
  it('a torch function other than _rebuild_tensor_v2', () => {
    expect(() => unpickle(readFileSync(file('param.pkl')))).toThrow(/names torch\._utils\._rebuild_parameter/);
  });
  it('a class of the pickling program', () => {
    expect(() => unpickle(readFileSync(file('obj.pkl')))).toThrow(/names (__main__\.Foo|copyreg\._reconstructor)/);
  });
  it('opcodes that build objects (NEWOBJ, INST) even with an allowed class', () => {
    const newobj = Uint8Array.from([0x80, 2, 0x63, ...Buffer.from('collections\nOrderedDict\n'), 0x29, 0x81, 0x2e]);
    expect(() => unpickle(newobj)).toThrow(/opcode 0x81 \(NEWOBJ\)/);
    const inst = Uint8Array.from([0x28, 0x69, ...Buffer.from('os\nsystem\n'), 0x2e]);
    expect(() => unpickle(inst)).toThrow(/opcode 0x69 \(INST\)/);
  });
  it('BUILD on anything but the state dict', () => {
    const build = Uint8Array.from([0x80, 2, 0x7d, 0x7d, 0x62, 0x2e]);
    expect(() => unpickle(build)).toThrow(/BUILD/);
  });
  it('a pickle cut short', () => {
    expect(() => unpickle(readFileSync(file('param.pkl')).subarray(0, 3))).toThrow(/damaged/);
  });
  it('a state dict of plain values is not one of tensors', () => {
    const dict = Uint8Array.from([0x80, 2, 0x7d, 0x58, 1, 0, 0, 0, 0x61, 0x4b, 5, 0x73, 0x2e]); // {'a': 5}
    expect(() => stateDictTensors(unpickle(dict))).toThrow(/"a" is not a tensor/);
  });
});

describe('safetensors header checks', () => {
  const make = (header: object, data: number) => {
    let text = JSON.stringify(header);
    text += ' '.repeat((8 - (text.length % 8)) % 8);
    const b = new Uint8Array(8 + text.length + data);
    new DataView(b.buffer).setBigUint64(0, BigInt(text.length), true);
    b.set(new TextEncoder().encode(text), 8);
    return memorySource('x.safetensors', b);
  };
  it('accepts a well-formed file', async () => {
    const idx = await openSafetensors(make({ __metadata__: { format: 'pt' }, a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'BF16', shape: [2, 2], data_offsets: [8, 16] } }, 16));
    expect([...idx.tensors.keys()]).toEqual(['a', 'b']);
  });
  it.each([
    ['a gap between tensors', { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, 12, /bytes 4\.\.8 before tensor b belong to no tensor/],
    ['a size that does not match dtype x shape', { a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8, /F32 \[3\] needs 12 bytes, its offsets 0\.\.8 give 8/],
    ['extra bytes after the last tensor', { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 12, /accounts for 4 bytes of data but the file has 12/],
    ['an unknown dtype', { a: { dtype: 'F8', shape: [1], data_offsets: [0, 1] } }, 1, /unknown dtype "F8"/],
  ])('refuses %s', async (_, header, data, message) => {
    await expect(openSafetensors(make(header, data))).rejects.toThrow(message);
  });
  it('refuses a header length larger than the file', async () => {
    const b = new Uint8Array(16);
    new DataView(b.buffer).setBigUint64(0, 1000n, true);
    await expect(openSafetensors(memorySource('x.safetensors', b))).rejects.toThrow(/claims 1000 bytes but the file has only 8/);
  });
});
