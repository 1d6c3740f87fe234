/**
 * The tokenizer contract the engine relies on. A batch is row-major [batch, length] int64 ids
 * (ONNX `input_ids`), each row padded to `length`; `lengths[i]` is row i's real length (start and
 * end tokens included), so padding is never guessed from ids (CLIP's pad id 0 is also the token "!").
 * CLIP BPE (clip-bpe.ts) and BERT WordPiece (wordpiece.ts, PubMedBERT, 256 tokens) implement it.
 * The bundled BERT text encoders compute their attention mask from the ids, so WordPiece leaves
 * `attentionMask` unset.
 */
export interface TokenBatch {
  ids: BigInt64Array;
  batch: number;
  length: number;
  lengths: Int32Array;
  /** 1 for real tokens, 0 for padding; only for encoders that take a mask (BERT). */
  attentionMask?: BigInt64Array;
}

export interface TextTokenizer {
  readonly kind: 'clip-bpe' | 'wordpiece';
  readonly contextLength: number;
  /** Clean, tokenise, add start/end, truncate and pad every text to contextLength. */
  encode(texts: readonly string[]): TokenBatch;
  /** The same batch cut to its longest real row (for text encoders with a dynamic length). */
  trimToLongest(batch: TokenBatch): TokenBatch;
}

/** Special ids and length of a batch: every row is start, body (cut to fit), end, padding. */
export interface BatchLayout {
  contextLength: number;
  padId: number;
  startId: number;
  endId: number;
}

/** Lay out token bodies as a padded batch (the one layout both tokenizers share). */
export function packBatch(bodies: readonly (readonly number[])[], layout: BatchLayout): TokenBatch {
  const { contextLength: L, padId, startId, endId } = layout;
  const ids = new BigInt64Array(bodies.length * L);
  const lengths = new Int32Array(bodies.length);
  if (padId !== 0) ids.fill(BigInt(padId));
  bodies.forEach((whole, i) => {
    const body = whole.slice(0, L - 2);
    const row = i * L;
    ids[row] = BigInt(startId);
    for (let k = 0; k < body.length; k++) ids[row + 1 + k] = BigInt(body[k]);
    ids[row + 1 + body.length] = BigInt(endId);
    lengths[i] = body.length + 2;
  });
  return { ids, batch: bodies.length, length: L, lengths };
}

/** Cut a padded batch to the longest real length: fewer tokens, same embedding (causal mask). */
export function trimToLongest(b: TokenBatch): TokenBatch {
  let longest = 1;
  for (let i = 0; i < b.batch; i++) longest = Math.max(longest, b.lengths[i]);
  if (longest >= b.length) return b;
  const ids = new BigInt64Array(b.batch * longest);
  const mask = b.attentionMask ? new BigInt64Array(b.batch * longest) : undefined;
  for (let i = 0; i < b.batch; i++) {
    ids.set(b.ids.subarray(i * b.length, i * b.length + longest), i * longest);
    mask?.set(b.attentionMask!.subarray(i * b.length, i * b.length + longest), i * longest);
  }
  return mask ? { ids, batch: b.batch, length: longest, lengths: b.lengths, attentionMask: mask } : { ids, batch: b.batch, length: longest, lengths: b.lengths };
}

/** Row i of a batch as plain numbers (tests, console API). */
export function rowOf(b: TokenBatch, i: number): number[] {
  return Array.from(b.ids.subarray(i * b.length, (i + 1) * b.length), Number);
}
