export { ClipBpeTokenizer, type ClipBpeOptions } from './clip-bpe';
export { cleanOpenClip } from './clean';
export { htmlUnescape } from './html-unescape';
export { rowOf, trimToLongest, type TextTokenizer, type TokenBatch } from './types';

import { AppError } from '../errors';
import { ClipBpeTokenizer, type ClipBpeOptions } from './clip-bpe';
import type { TextTokenizer } from './types';

/** The tokenizer a bundle asks for (manifest `tokenizer` record + its parsed file). */
export function createTokenizer(spec: ClipBpeOptions & { kind: string }, json: unknown): TextTokenizer {
  if (spec.kind === 'clip-bpe') return ClipBpeTokenizer.fromJson(json, spec);
  throw new AppError('tokenizer-invalid', `This app cannot yet run the "${spec.kind}" tokenizer this bundle needs.`, 'Use a CLIP (ViT-B/16) DermLIP bundle.');
}
