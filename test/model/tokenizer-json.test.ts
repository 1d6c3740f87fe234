// tokenizer.json through @huggingface/tokenizers gives open_clip's ids for every reference prompt.
import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { cleanText, manifest, readJson, references } from './bundle-helpers';

const tok = new Tokenizer(readJson<object>(manifest.tokenizer.file), {});
const { contextLength, startId, endId, padId } = manifest.tokenizer;

function openClipIds(text: string): number[] {
  const bpe = tok.encode(cleanText(text), { add_special_tokens: false }).ids;
  const ids = [startId, ...bpe.slice(0, contextLength - 2), endId];
  return [...ids, ...Array<number>(contextLength - ids.length).fill(padId)];
}

describe('tokenizer.json', () => {
  it.each(references.prompts.map((p) => [p.text, p.ids] as const))('%j', (text, ids) => {
    expect(openClipIds(text)).toEqual(ids);
  });

  it('adds start and end tokens with special tokens on', () => {
    expect(tok.encode('melanoma').ids).toEqual([startId, ...tok.encode('melanoma', { add_special_tokens: false }).ids, endId]);
  });
});
