// Checks tokenizer.json with @huggingface/tokenizers against reference BPE ids.
// Usage: node check_tokenizer.mjs tokenizer.json cases.json   (cases: [{ "clean": text, "ids": [bpe ids] }])
// Prints { checked, mismatches: [first 10] } and exits 1 on any mismatch.
import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';

const tok = new Tokenizer(JSON.parse(readFileSync(process.argv[2], 'utf8')), {});
const cases = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const mismatches = [];
for (const c of cases) {
  const ids = tok.encode(c.clean, { add_special_tokens: false }).ids;
  if (ids.length !== c.ids.length || ids.some((x, i) => x !== c.ids[i])) mismatches.push({ ...c, got: ids });
}
console.log(JSON.stringify({ checked: cases.length, mismatches: mismatches.slice(0, 10) }));
process.exit(mismatches.length ? 1 : 0);
