/**
 * Opens a checkpoint file of either format the open_clip hub ships, told apart by its first bytes
 * (not its name): a zip (torch.save since PyTorch 1.6) or safetensors. Anything else is refused
 * with what it looks like instead.
 */
import { AppError } from '../errors';
import { safetensorsHeaderLength, openSafetensors } from './safetensors';
import { readRange, type ByteSource } from './source';
import type { CheckpointIndex } from './tensors';
import { openTorchZip } from './torch-zip';

export async function openCheckpoint(src: ByteSource): Promise<CheckpointIndex> {
  if (src.size === 0) throw new AppError('input-invalid', `${src.name} is empty (0 bytes).`, 'The download did not complete: download the checkpoint again from the model page.');
  const head = await readRange(src, 0, Math.min(16, src.size), 'the first bytes');
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return openTorchZip(src);
  const n = safetensorsHeaderLength(head);
  if (n !== null && n > 1 && head[8] === 0x7b) return openSafetensors(src);
  if (head[0] === 0x80 && head[1] <= 5) {
    throw new AppError('input-invalid', `${src.name} is a PyTorch checkpoint in the legacy format (before PyTorch 1.6), which this converter does not read.`, 'Use open_clip_model.safetensors or open_clip_pytorch_model.bin from the model page.');
  }
  const isBin = /\.(bin|pt|pth)$/i.test(src.name);
  const hex = [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new AppError(
    'input-invalid',
    isBin
      ? `${src.name} is not a PyTorch checkpoint: it does not start with a zip signature (its first bytes are ${hex}).`
      : `${src.name} is neither a safetensors file nor a PyTorch checkpoint (its first bytes are ${hex}).`,
    'Pick open_clip_model.safetensors or open_clip_pytorch_model.bin, downloaded from the model page.',
  );
}
