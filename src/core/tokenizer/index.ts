export { ClipBpeTokenizer, type ClipBpeOptions } from './clip-bpe';
export { cleanOpenClip } from './clean';
export { htmlUnescape } from './html-unescape';
export { rowOf, trimToLongest, type TextTokenizer, type TokenBatch } from './types';

import { AppError } from '../errors';
import { ClipBpeTokenizer, type ClipBpeOptions } from './clip-bpe';
import type { TextTokenizer } from './types';
import { WordPieceTokenizer } from './wordpiece';

/** The tokenizer a bundle asks for (manifest `tokenizer` record + its parsed file). */
export function createTokenizer(spec: ClipBpeOptions & { kind: string }, json: unknown): TextTokenizer {
  if (spec.kind === 'clip-bpe') return ClipBpeTokenizer.fromJson(json, spec);
  if (spec.kind === 'wordpiece') return WordPieceTokenizer.fromJson(json, spec);
  throw new AppError('tokenizer-invalid', `This app cannot run the "${spec.kind}" tokenizer this bundle needs.`, 'Use a DermLIP bundle with a CLIP BPE or a BERT WordPiece tokenizer.');
}
