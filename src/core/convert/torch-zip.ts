/**
 * torch.save's zip format: `<archive>/data.pkl` (the pickled state dict, read by the strict
 * interpreter in pickle.ts) and one `<archive>/data/<key>` entry per storage, stored uncompressed.
 * Each tensor becomes a view (offset, shape, strides) into its storage's bytes in the file.
 */
import { AppError } from '../errors';
import { stateDictTensors, unpickle } from './pickle';
import { readRange, type ByteSource } from './source';
import { DTYPE_BYTES, viewSpan, type CheckpointIndex, type TensorInfo } from './tensors';
import { entryDataOffset, readZipDirectory, type ZipEntry } from './zip';

/** data.pkl of ViT-B/16 is ~40 kB; anything near this is not a state dict's. */
const MAX_PICKLE = 32 * 1024 * 1024;

function corrupt(src: ByteSource, why: string): never {
  throw new AppError('file-corrupt', `${src.name} is not a readable PyTorch checkpoint: ${why}.`, 'Download open_clip_pytorch_model.bin again from the model page.');
}

export async function openTorchZip(src: ByteSource): Promise<CheckpointIndex> {
  const entries = await readZipDirectory(src);
  const pkls = [...entries.keys()].filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pkls.length !== 1) corrupt(src, pkls.length ? 'it holds more than one data.pkl' : 'it is a zip file without data.pkl, so not a torch.save checkpoint');
  const prefix = pkls[0].slice(0, -'data.pkl'.length);
  const order = entries.get(prefix + 'byteorder');
  if (order) {
    const b = await readRange(src, await entryDataOffset(src, order), order.compressedSize, 'byteorder');
    if (String.fromCharCode(...b) !== 'little') corrupt(src, 'it was saved on a big-endian machine');
  }
  const stored = async (e: ZipEntry): Promise<number> => {
    if (e.method !== 0 || e.compressedSize !== e.size) corrupt(src, `its entry ${e.name} is compressed (method ${e.method}); torch.save stores entries uncompressed (was the file re-zipped?)`);
    return entryDataOffset(src, e);
  };
  const pkl = entries.get(pkls[0])!;
  if (pkl.size > MAX_PICKLE) corrupt(src, `its data.pkl has ${pkl.size} bytes, far more than a state dict's`);
  const tensors = stateDictTensors(unpickle(await readRange(src, await stored(pkl), pkl.size, 'data.pkl')));
  const starts = new Map<string, number>();
  const out = new Map<string, TensorInfo>();
  for (const [name, t] of tensors) {
    const s = t.storage;
    const entry = entries.get(`${prefix}data/${s.key}`);
    if (!entry) corrupt(src, `the storage data/${s.key} of tensor ${name} is missing`);
    const es = DTYPE_BYTES[s.dtype];
    if (entry.size !== s.numel * es) corrupt(src, `the storage data/${s.key} has ${entry.size} bytes, its ${s.numel} ${s.dtype} elements need ${s.numel * es}`);
    if (t.storageOffset + viewSpan(t.shape, t.strides) > s.numel) corrupt(src, `tensor ${name} reaches past the end of its storage data/${s.key}`);
    if (!starts.has(s.key)) starts.set(s.key, await stored(entry));
    out.set(name, { name, dtype: s.dtype, shape: t.shape, strides: t.strides, offset: starts.get(s.key)! + t.storageOffset * es });
  }
  return { format: 'torch', tensors: out };
}
