import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertAsset, fileSource, fixtureCheckpoint } from '../../../test/helpers/checkpoints';
import { architectureFor, checkTensors, expectedTensors } from './architectures';
import { BundleAssembler } from './assemble';
import { openCheckpoint } from './checkpoint';
import { parseLayout } from './layout';
import { parseOpenClipConfig } from './openclip-config';

async function convertAll(size: 'tiny' | 'tiny-gelu', format: 'bin' | 'safetensors') {
  const ck = fixtureCheckpoint(size);
  const spec = parseOpenClipConfig(readFileSync(ck.config, 'utf8'));
  const arch = architectureFor(spec.model);
  const layout = parseLayout(JSON.parse(new TextDecoder().decode(convertAsset(arch.id, 'layout.json'))));
  const src = fileSource(format === 'bin' ? ck.bin : ck.safetensors);
  const index = await openCheckpoint(src);
  checkTensors(index, expectedTensors(spec.model, spec.typeVocabSize), arch);
  const asm = new BundleAssembler(src, index, layout);
  await asm.checkEqualGroups();
  const out = new Map<string, Buffer>();
  for (const f of layout.files) {
    const parts: Uint8Array[] = [];
    for await (const c of asm.file(f, f.kind === 'graph' ? convertAsset(arch.id, f.name) : undefined)) {
      // As the worker does: the chunk's buffer is transferred away (detached here) once handed on.
      parts.push(new Uint8Array(structuredClone(c.buffer, { transfer: [c.buffer as ArrayBuffer] })));
    }
    out.set(f.name, Buffer.concat(parts));
  }
  return { arch, out, asm };
}

describe('converting the tiny fixtures\' checkpoints gives the toolchain\'s bundle files byte for byte', () => {
  for (const size of ['tiny', 'tiny-gelu'] as const) {
    for (const format of ['bin', 'safetensors'] as const) {
      it(`${size}, ${format}`, async () => {
        const { arch, out, asm } = await convertAll(size, format);
        expect(arch.id).toBe(`demo-${size}`);
        expect(out.size).toBe(16);
        for (const [name, bytes] of out) {
          const want = readFileSync(`public/models/demo-${size}/${name}`);
          expect(bytes.length, name).toBe(want.length);
          expect(bytes.equals(want), `${name} differs`).toBe(true);
        }
        const manifest = JSON.parse(readFileSync(`public/models/demo-${size}/manifest.json`, 'utf8'));
        expect(await asm.modelLogitScale()).toBe(manifest.modelLogitScale);
      }, 60_000);
    }
  }
});
