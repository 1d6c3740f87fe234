/**
 * The token ids the engine warms a text encoder up with, from the manifest's tokenizer alone:
 * start, end, then padding, 8 long (or the context length if shorter). Any tokenizer's vocabulary
 * has these ids, so the same warm-up serves CLIP BPE and WordPiece bundles.
 */
export interface WarmupTokenizerSpec {
  contextLength: number;
  padId: number;
  startId: number;
  endId: number;
}

export function warmupTokenIds(t: WarmupTokenizerSpec): number[] {
  const n = Math.max(2, Math.min(t.contextLength, 8));
  const ids = new Array<number>(n).fill(t.padId);
  ids[0] = t.startId;
  ids[1] = t.endId;
  return ids;
}
