/**
 * Test-only (Node): the tiny fixtures' checkpoints, written by the toolchain at test time
 * (tools/model/checkpoint.py: torch.save of the module's state_dict, and safetensors), and the
 * converter's shipped assets (public/convert/<arch>/, gzipped) read from disk.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ByteSource } from '../../src/core/convert/source';

export const PYTHON = '/usr/bin/python3';

export interface FixtureCheckpoint {
  dir: string;
  bin: string;
  safetensors: string;
  config: string;
}

const made = new Map<string, FixtureCheckpoint>();

/** Both checkpoint files (and the config) of a fixture, made once per test process. */
export function fixtureCheckpoint(size: 'tiny' | 'tiny-gelu', dtype: 'fp32' | 'fp16' | 'bf16' = 'fp32', seed = 0): FixtureCheckpoint {
  const id = `${size}-${dtype}-${seed}`;
  if (!made.has(id)) {
    const dir = mkdtempSync(join(tmpdir(), `ckpt-${id}-`));
    execFileSync(PYTHON, ['tools/model/checkpoint.py', '--size', size, '--dtype', dtype, '--seed', String(seed), '--out', dir], { stdio: 'pipe' });
    made.set(id, { dir, bin: join(dir, 'open_clip_pytorch_model.bin'), safetensors: join(dir, 'open_clip_model.safetensors'), config: join(dir, 'open_clip_config.json') });
  }
  return made.get(id)!;
}

/** The DermLIP-PanDerm tiny fixture's checkpoint (both formats), config, and text/ (config.json, tokenizer.json). */
export function pandermFixtureCheckpoint(): FixtureCheckpoint & { textConfig: string; tokenizer: string } {
  const id = 'panderm-tiny';
  if (!made.has(id)) {
    const dir = mkdtempSync(join(tmpdir(), `ckpt-${id}-`));
    execFileSync(PYTHON, ['tools/model/checkpoint.py', '--arch', 'panderm', '--size', 'tiny', '--out', dir], { stdio: 'pipe' });
    made.set(id, { dir, bin: join(dir, 'open_clip_pytorch_model.bin'), safetensors: join(dir, 'open_clip_model.safetensors'), config: join(dir, 'open_clip_config.json') });
  }
  const ck = made.get(id)!;
  return { ...ck, textConfig: join(ck.dir, 'text', 'config.json'), tokenizer: join(ck.dir, 'text', 'tokenizer.json') };
}

/** A file on disk as a ByteSource (range reads, as a File.slice in the browser). */
export function fileSource(path: string, name = path.split('/').pop()!): ByteSource {
  const fd = openSync(path, 'r');
  return {
    name,
    size: statSync(path).size,
    read: async (offset, length) => {
      const b = new Uint8Array(length);
      readSync(fd, b, 0, length, offset);
      return b;
    },
  };
}

export function convertAsset(arch: string, file: string): Uint8Array {
  return new Uint8Array(gunzipSync(readFileSync(join('public/convert', arch, `${file}.gz`))));
}
