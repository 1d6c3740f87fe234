/**
 * The PanDerm bundle's tokenizer.json made from the text model's hub files as the toolchain makes it
 * (export_panderm.load_tokenizer + WordPieceTokenizer.json_bytes; Python runs here), byte for byte:
 * from a tokenizer.json (pretty-printed, digits among the vocabulary's keys) and from vocab.txt.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYTHON } from '../../../test/helpers/checkpoints';
import { bundleTokenizer } from './hub-tokenizer';
import { pyDumps, pyLoads } from './py-json';

const PY = `
import sys
sys.path.insert(0, "tools/model")
import export_panderm
tok = export_panderm.load_tokenizer(*sys.argv[1:])
sys.stdout.buffer.write(tok.json_bytes())
`;
const toolchain = (...paths: string[]) => execFileSync(PYTHON, ['-c', PY, ...paths]).toString('utf8');

const fixtureJson = readFileSync('public/models/demo-panderm-tiny/tokenizer.json', 'utf8');
const vocab = (pyLoads(fixtureJson) as any).get('model').get('vocab').entries as [string, number][];

describe('the PanDerm tokenizer.json from the hub\'s files is the toolchain\'s, byte for byte', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-tok-'));
  it('from tokenizer.json (pretty-printed, with padding and truncation set, escapes and digits)', () => {
    // What a hub file looks like: indented, ASCII-escaped, truncation/padding set, keys such as "0".."9" in file order.
    const PRETTY = 'import json,sys; d=json.load(open(sys.argv[1])); d["truncation"]={"max_length":512}; d["padding"]={"pad_id":0}; print(json.dumps(d, indent=2))';
    const pretty = execFileSync(PYTHON, ['-c', PRETTY, 'public/models/demo-panderm-tiny/tokenizer.json']).toString('utf8');
    expect(vocab.some(([k]) => /^\d+$/.test(k))).toBe(true);
    writeFileSync(join(dir, 'tokenizer.json'), pretty);
    const ours = bundleTokenizer({ tokenizerJson: pretty });
    expect(ours.text).toBe(toolchain(join(dir, 'tokenizer.json')));
    expect(ours.text).toBe(fixtureJson); // the fixture bundle's own file is what json_bytes writes
    expect(ours.ids).toEqual({ startId: 2, endId: 3, padId: 0, topId: vocab.length - 1 });
  });
  for (const lower of [true, false, null]) {
    it(`from vocab.txt${lower === null ? '' : ` with do_lower_case ${lower}`}`, () => {
      const txt = `${vocab.map(([k]) => k).join('\n')}\n[CLS]\n`; // a duplicate line keeps its first id
      writeFileSync(join(dir, 'vocab.txt'), txt);
      const args = [join(dir, 'vocab.txt')];
      let cfg: string | undefined;
      if (lower !== null) {
        cfg = JSON.stringify({ do_lower_case: lower, model_max_length: 1e30 });
        writeFileSync(join(dir, 'tokenizer_config.json'), cfg);
        args.push(join(dir, 'tokenizer_config.json'));
      }
      expect(bundleTokenizer({ vocabTxt: txt, tokenizerConfig: cfg }).text).toBe(toolchain(...args));
    });
  }
  it('refuses a tokenizer that is not BERT WordPiece, or has no pad id', () => {
    const tj = JSON.parse(fixtureJson);
    expect(() => bundleTokenizer({ tokenizerJson: JSON.stringify({ ...tj, model: { ...tj.model, type: 'BPE' } }) })).toThrow(/model\.type is "BPE", not "WordPiece"/);
    const noPad = { ...tj, model: { ...tj.model, vocab: Object.fromEntries(Object.entries(tj.model.vocab).filter(([k]) => k !== '[PAD]')) } };
    expect(() => bundleTokenizer({ tokenizerJson: JSON.stringify(noPad) })).toThrow(/no pad id/);
    expect(() => bundleTokenizer({ tokenizerJson: '{"model": ' })).toThrow(/not valid JSON/);
    expect(() => bundleTokenizer({ vocabTxt: 'a\nb\n' })).toThrow(/has no \[UNK\]/);
  });
});

describe('Python\'s json.dumps, as the toolchain writes files', () => {
  it('keeps key order, ints and floats apart, and escapes as Python does', () => {
    const text = '{"b": 1, "2": [1.0, 1e-12, 0.0001, 1e16, 2.5, -0.5e-5], "a": "\\u00e9\\u0001\\n\\"x\\"\\u2028", "1": null, "b": true}';
    expect(pyDumps(pyLoads(text))).toBe('{"b":true,"2":[1.0,1e-12,0.0001,1e+16,2.5,-5e-06],"a":"é\\u0001\\n\\"x\\"\u2028","1":null}');
  });
});
