/**
 * The converter's side of the worker (handlers of `ConvertCalls`): the checkpoint File is read by
 * ranges (File.slice), checked against the architecture its config names, hashed, and turned
 * into the bundle's files chunk by chunk by core/convert (pure). Nothing here touches
 * onnxruntime; one conversion at a time per worker.
 */
import { createSHA256, type IHasher } from 'hash-wasm';
import { architectureFor, checkTensors, expectedTensors, sameModel } from '../core/convert/architectures';
import { BundleAssembler } from '../core/convert/assemble';
import { openCheckpoint } from '../core/convert/checkpoint';
import { parseOpenClipConfig } from '../core/convert/openclip-config';
import { PANDERM_NON_WEIGHT_KEYS } from '../core/convert/panderm-config';
import type { ByteSource } from '../core/convert/source';
import { AppError } from '../core/errors';
import type { ConvertCalls, ConvertHashResult, ConvertOpenRequest, ConvertOpenResult } from './convert-protocol';

interface Open {
  blob: Blob;
  name: string;
  assembler: BundleAssembler;
  skeletons: Record<string, ArrayBuffer>;
  hasher: IHasher | null;
  hashed: number;
  reading: { file: string; chunks: AsyncGenerator<Uint8Array> } | null;
}

let open: Open | null = null;

function blobSource(blob: Blob, name: string): ByteSource {
  return {
    name,
    size: blob.size,
    read: async (offset, length) => {
      try {
        return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
      } catch (e) {
        throw new AppError('file-corrupt', `Could not read ${name} (${(e as Error).message}). Was the file moved or changed while it was being converted?`, 'Pick the file again.');
      }
    },
  };
}

function current(): Open {
  if (!open) throw new AppError('internal', 'No checkpoint is open in the converter.');
  return open;
}

async function convertOpen(req: ConvertOpenRequest): Promise<ConvertOpenResult> {
  open = null;
  const spec = parseOpenClipConfig(req.configText, req.textConfigText);
  const arch = architectureFor(spec.model);
  if (!sameModel(req.layout.model, spec.model)) throw new AppError('internal', `The converter was given the graphs of another architecture than ${arch.title}.`);
  const src = blobSource(req.checkpoint, req.fileName);
  const index = await openCheckpoint(src);
  // Buffers a PanDerm checkpoint may carry (position_ids of older transformers) are not weights.
  if (spec.model.family === 'dermlip-panderm') for (const k of PANDERM_NON_WEIGHT_KEYS) index.tensors.delete(k);
  checkTensors(index, expectedTensors(spec.model, spec.typeVocabSize), arch);
  const assembler = new BundleAssembler(src, index, req.layout);
  await assembler.checkEqualGroups();
  const modelLogitScale = await assembler.modelLogitScale();
  open = { blob: req.checkpoint, name: req.fileName, assembler, skeletons: req.skeletons, hasher: null, hashed: 0, reading: null };
  const dtypes = [...new Set([...index.tensors.values()].map((t) => t.dtype))].sort();
  return { architecture: arch.id, format: index.format, tensors: index.tensors.size, dtypes, modelLogitScale, bytes: req.checkpoint.size };
}

async function convertHash({ chunkBytes }: { chunkBytes: number }): Promise<ConvertHashResult> {
  const o = current();
  if (!o.hasher) {
    o.hasher = await createSHA256();
    o.hasher.init();
    o.hashed = 0;
  }
  const total = o.blob.size;
  const end = Math.min(total, o.hashed + Math.max(1, chunkBytes));
  if (end > o.hashed) {
    const src = blobSource(o.blob, o.name);
    o.hasher.update(await src.read(o.hashed, end - o.hashed));
    o.hashed = end;
  }
  return { loaded: o.hashed, total, sha256: o.hashed === total ? o.hasher.digest('hex') : null };
}

async function convertRead({ file }: { file: string }): Promise<{ chunk: ArrayBuffer | null }> {
  const o = current();
  if (o.reading?.file !== file) {
    const f = o.assembler.layout.files.find((x) => x.name === file);
    if (!f) throw new AppError('internal', `The layout has no file ${file}.`);
    const skeleton = f.kind === 'graph' ? o.skeletons[file] : undefined;
    o.reading = { file, chunks: o.assembler.file(f, skeleton ? new Uint8Array(skeleton) : undefined) };
  }
  const next = await o.reading.chunks.next();
  if (next.done) {
    o.reading = null;
    return { chunk: null };
  }
  return { chunk: next.value.buffer as ArrayBuffer };
}

type Handlers = { [K in keyof ConvertCalls]: (req: ConvertCalls[K]['request']) => Promise<ConvertCalls[K]['reply']> };

export const convertHandlers: Handlers = {
  convertOpen,
  convertHash,
  convertRead,
  async convertClose() {
    open = null;
    return null;
  },
};
