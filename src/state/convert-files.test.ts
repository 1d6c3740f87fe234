/**
 * The files picked for a conversion are told apart by content (not name), and a PanDerm set must
 * bring a tokenizer that fits its text model; a CLIP set takes no text-model files.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOpenClipConfig } from '../core/convert/openclip-config';
import { pickedTokenizer, sortPicked } from './convert-files';

const text = (p: string) => readFileSync(p, 'utf8');
const file = (name: string, body: string | Uint8Array<ArrayBuffer>) => new File([body], name);
const clipConfig = text('public/models/demo-tiny/open_clip_config.json');
const pandermConfig = JSON.stringify({ model_cfg: JSON.parse(text('data/derm1m/model_configs/PanDerm-base-w-PubMed-256.json')) });
const bert = JSON.parse(text('tools/model/configs/panderm-full.json')).fixture.hf_text_config;
const tokenizer = text('public/models/demo-panderm-tiny/tokenizer.json');
const ckpt = file('open_clip_model.safetensors', new Uint8Array(16));

const refusal = (p: Promise<unknown> | (() => unknown)) =>
  (typeof p === 'function' ? Promise.resolve().then(p) : p).then(
    () => '',
    (e: Error) => e.message,
  );

describe('the picked files', () => {
  it('are told apart by content, whatever their names', async () => {
    const p = await sortPicked([file('b.json', JSON.stringify(bert)), file('tok.json', tokenizer), ckpt, file('a.json', pandermConfig)]);
    expect(p.checkpoint.name).toBe('open_clip_model.safetensors');
    expect(p.config.name).toBe('a.json');
    expect(JSON.parse(p.textConfigText!)).toEqual(bert);
    expect(p.tokenizerJson).toBe(tokenizer);
  });

  it('must be one checkpoint and one open_clip_config.json', async () => {
    expect(await refusal(sortPicked([ckpt, file('open_clip_pytorch_model.bin', new Uint8Array(4))]))).toContain('Pick one checkpoint and one open_clip_config.json');
    expect(await refusal(sortPicked([ckpt, file('x.json', clipConfig), file('y.json', clipConfig)]))).toContain('Pick one checkpoint and one open_clip_config.json');
    expect(await refusal(sortPicked([ckpt, file('x.json', clipConfig), file('c.json', JSON.stringify(bert)), file('d.json', JSON.stringify(bert))]))).toContain('Two files of the same kind were picked: c.json, d.json');
    expect(await refusal(sortPicked([ckpt, file('x.json', '{"hello": 1}')]))).toContain('x.json is none of the JSON files a conversion uses');
  });

  it('a DermLIP-B/16 set takes no text-model files', async () => {
    const p = await sortPicked([ckpt, file('open_clip_config.json', clipConfig), file('tokenizer.json', tokenizer)]);
    expect(await refusal(() => pickedTokenizer(p, parseOpenClipConfig(p.configText, p.textConfigText)))).toContain('needs no text-model files');
  });

  it('a DermLIP-PanDerm set needs its tokenizer, whose ids fit the text model', async () => {
    const without = await sortPicked([ckpt, file('open_clip_config.json', pandermConfig), file('config.json', JSON.stringify(bert))]);
    expect(await refusal(() => pickedTokenizer(without, parseOpenClipConfig(without.configText, without.textConfigText)))).toContain('also needs its text model\'s tokenizer');
    const withTok = await sortPicked([ckpt, file('open_clip_config.json', pandermConfig), file('config.json', JSON.stringify(bert)), file('tokenizer.json', tokenizer)]);
    const tok = pickedTokenizer(withTok, parseOpenClipConfig(withTok.configText, withTok.textConfigText));
    expect(tok?.ids).toMatchObject({ startId: 2, endId: 3, padId: 0 });
    // A text model that masks another pad id, or has fewer words than the tokenizer: not of the same model.
    for (const [change, message] of [[{ pad_token_id: 1 }, 'pads with id 0, the text model masks id 1'], [{ vocab_size: 1000 }, 'the text model only 1000 embeddings']] as const) {
      const other = await sortPicked([ckpt, file('open_clip_config.json', pandermConfig), file('config.json', JSON.stringify({ ...bert, ...change })), file('tokenizer.json', tokenizer)]);
      expect(await refusal(() => pickedTokenizer(other, parseOpenClipConfig(other.configText, other.textConfigText)))).toContain(message);
    }
  });
});
