/**
 * Test-only (Node): checkpoints the converter must refuse, each with what its message must say.
 * Made from the tiny fixture's good checkpoint (test/helpers/checkpoints.ts): torch.save and
 * safetensors files written by the toolchain with a tensor reshaped, added or removed, a pickle
 * that names os.system, a safetensors header that lies about its offsets, truncated files, an
 * empty file and random bytes named .bin.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fixtureCheckpoint, PYTHON } from './checkpoints';

export interface BadCheckpoint {
  what: string;
  path: string;
  /** The refusal message must match. */
  message: RegExp;
}

const EDIT = `
import sys, os, zipfile, torch
sys.path.insert(0, "tools/model")
import checkpoint, model as model_mod, openclip_config
out = sys.argv[1]
spec = openclip_config.load(openclip_config.fixture_path("tiny"))
sd = model_mod.build(spec.model, 0).state_dict()
def both(name, d):
    torch.save(d, os.path.join(out, name + ".bin"))
    open(os.path.join(out, name + ".safetensors"), "wb").write(checkpoint.safetensors_bytes(d, {"format": "pt"}))
d = dict(sd); d["visual.proj"] = d["visual.proj"][:, :256].clone(); both("wrong-shape", d)
d = dict(sd); d["visual.extra.weight"] = torch.zeros(3); both("extra-key", d)
d = dict(sd); del d["ln_final.bias"]; both("missing-key", d)
src = sys.argv[2]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(os.path.join(out, "os-system.bin"), "w") as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename.endswith("/data.pkl"):
            data = b"\\x80\\x02cos\\nsystem\\nq\\x00X\\x04\\x00\\x00\\x00echoq\\x01\\x85q\\x02Rq\\x03."
        zout.writestr(item, data)
`;

/** A safetensors file whose header says one tensor ends 8 bytes later than it does. */
function lyingHeader(good: Buffer): Buffer {
  const n = Number(good.readBigUInt64LE(0));
  const header = JSON.parse(good.subarray(8, 8 + n).toString('utf8'));
  const first = Object.keys(header).find((k) => k !== '__metadata__')!;
  header[first].data_offsets[1] += 8;
  header[first].shape = [header[first].shape.reduce((a: number, b: number) => a * b, 1) + 2];
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(text.length));
  return Buffer.concat([len, Buffer.from(text), good.subarray(8 + n)]);
}

export function badCheckpoints(): BadCheckpoint[] {
  const good = fixtureCheckpoint('tiny');
  const dir = mkdtempSync(join(tmpdir(), 'bad-ckpt-'));
  execFileSync(PYTHON, ['-c', EDIT, dir, good.bin], { stdio: 'pipe' });
  const st = readFileSync(good.safetensors);
  const bin = readFileSync(good.bin);
  const put = (name: string, data: Buffer) => (mkdirSync(dirname(join(dir, name)), { recursive: true }), writeFileSync(join(dir, name), data), join(dir, name));
  const shape = /tensor visual\.proj has shape \[64, 256\], expected \[64, 512\]/;
  return [
    { what: 'a truncated safetensors file', path: put('open_clip_model.safetensors', st.subarray(0, st.length >> 1)), message: /truncated/ },
    { what: 'a truncated torch checkpoint', path: put('open_clip_pytorch_model.bin', bin.subarray(0, bin.length - 5000)), message: /truncated/ },
    { what: 'a wrong shape (safetensors)', path: join(dir, 'wrong-shape.safetensors'), message: shape },
    { what: 'a wrong shape (torch)', path: join(dir, 'wrong-shape.bin'), message: shape },
    { what: 'an extra key', path: join(dir, 'extra-key.safetensors'), message: /unexpected tensor visual\.extra\.weight \[3\]/ },
    { what: 'a missing key', path: join(dir, 'missing-key.bin'), message: /missing tensor ln_final\.bias \(expected shape \[32\]\)/ },
    { what: 'a pickle naming os.system', path: join(dir, 'os-system.bin'), message: /names os\.system, which a state dict never needs.*nothing in it was run/ },
    { what: 'a safetensors header lying about offsets', path: put('lying.safetensors', lyingHeader(st)), message: /header lies about/ },
    { what: 'a 0-byte file', path: put('empty.safetensors', Buffer.alloc(0)), message: /is empty \(0 bytes\)/ },
    { what: 'a random file named .bin', path: put('random/open_clip_pytorch_model.bin', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251))), message: /is not a PyTorch checkpoint: it does not start with a zip signature/ },
  ];
}
