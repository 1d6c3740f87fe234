/**
 * The tokenizer.json a converted DermLIP-PanDerm bundle ships, made from the text model's hub files
 * exactly as the toolchain makes it (tools/model/export_panderm.py load_tokenizer, wordpiece.py
 * json_bytes): the hub's tokenizer.json with truncation and padding left to the app, or one built
 * from vocab.txt (+ tokenizer_config.json's do_lower_case, default true) shaped as
 * BertTokenizerFast saves one (wordpiece_vocab.py tokenizer_json). Serialised as Python's
 * json.dumps(ensure_ascii=False, separators=(",", ":")), byte for byte.
 */
import { AppError } from '../errors';
import { PyObject, pyDumps, pyLoads, type PyValue } from './py-json';

export interface WordPieceIds {
  startId: number;
  endId: number;
  padId: number;
  /** The largest id the tokenizer can produce (vocabulary or added token). */
  topId: number;
}

export interface HubTokenizerFiles {
  /** tokenizer.json's text, or */
  tokenizerJson?: string;
  /** vocab.txt's text (+ tokenizer_config.json's). */
  vocabTxt?: string;
  tokenizerConfig?: string;
}

function refuse(why: string): never {
  throw new AppError('input-invalid', `The text model's tokenizer: ${why}.`, "Pick tokenizer.json (or vocab.txt) from the text model's page (neuml/pubmedbert-base-embeddings).");
}

const obj = (entries: [string, PyValue][]) => {
  const o = new PyObject();
  for (const [k, v] of entries) o.set(k, v);
  return o;
};
const field = (v: PyValue | undefined, key: string) => (v instanceof PyObject ? v.get(key) : undefined);

/** wordpiece_vocab.read_vocab_txt: one token a line, its id the line number (the first of duplicates kept). */
function readVocabTxt(text: string): PyObject {
  const tokens = text.split('\n');
  if (tokens.length && tokens[tokens.length - 1] === '') tokens.pop();
  const vocab = new PyObject();
  tokens.forEach((t, i) => {
    if (!vocab.has(t)) vocab.set(t, i);
  });
  return vocab;
}

/** wordpiece_vocab.tokenizer_json (key order and all). */
function tokenizerJsonFromVocab(vocab: PyObject, lowercase: boolean): PyObject {
  const [unk, cls, sep] = ['[UNK]', '[CLS]', '[SEP]'];
  for (const t of [unk, cls, sep]) if (!vocab.has(t)) refuse(`the vocabulary has no ${t}`);
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].filter((t) => vocab.has(t));
  const one = (t: string) => obj([['id', t], ['ids', [vocab.get(t)!]], ['tokens', [t]]]);
  const special = (id: string, type: number) => obj([['SpecialToken', obj([['id', id], ['type_id', type]])]]);
  const sequence = (id: string, type: number) => obj([['Sequence', obj([['id', id], ['type_id', type]])]]);
  return obj([
    ['version', '1.0'],
    ['truncation', null],
    ['padding', null],
    ['added_tokens', specials.map((t) => obj([['id', vocab.get(t)!], ['content', t], ['single_word', false], ['lstrip', false], ['rstrip', false], ['normalized', false], ['special', true]]))],
    ['normalizer', obj([['type', 'BertNormalizer'], ['clean_text', true], ['handle_chinese_chars', true], ['strip_accents', null], ['lowercase', lowercase]])],
    ['pre_tokenizer', obj([['type', 'BertPreTokenizer']])],
    ['post_processor', obj([
      ['type', 'TemplateProcessing'],
      ['single', [special(cls, 0), sequence('A', 0), special(sep, 0)]],
      ['pair', [special(cls, 0), sequence('A', 0), special(sep, 0), sequence('B', 1), special(sep, 1)]],
      ['special_tokens', obj([[cls, one(cls)], [sep, one(sep)]])],
    ])],
    ['decoder', obj([['type', 'WordPiece'], ['prefix', '##'], ['cleanup', true]])],
    ['model', obj([['type', 'WordPiece'], ['unk_token', unk], ['continuing_subword_prefix', '##'], ['max_input_chars_per_word', 100], ['vocab', vocab]])],
  ]);
}

const int = (v: PyValue | undefined, what: string): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : refuse(`${what} is not a token id`));

/** wordpiece.WordPieceTokenizer's checks and ids (start/end from the post-processor, pad from padding or [PAD]). */
function wordPieceIds(tj: PyObject): WordPieceIds {
  const model = tj.get('model');
  if (!(model instanceof PyObject)) refuse('tokenizer.json has no model');
  if (model.get('type') !== 'WordPiece') refuse(`tokenizer.json model.type is ${pyDumps(model.get('type') ?? null)}, not "WordPiece"`);
  const vocab = model.get('vocab');
  if (!(vocab instanceof PyObject) || !vocab.entries.length) refuse('tokenizer.json has no vocabulary');
  const unk = model.get('unk_token') ?? '[UNK]';
  if (typeof unk !== 'string' || !vocab.has(unk)) refuse(`the unknown token ${pyDumps(unk)} is not in the vocabulary`);
  if (field(tj.get('normalizer'), 'type') !== 'BertNormalizer') refuse('tokenizer.json normalizer is not BertNormalizer');
  if (field(tj.get('pre_tokenizer'), 'type') !== 'BertPreTokenizer') refuse('tokenizer.json pre_tokenizer is not BertPreTokenizer');
  const added = tj.get('added_tokens');
  const addedList = Array.isArray(added) ? added.filter((t): t is PyObject => t instanceof PyObject) : [];
  for (const t of addedList) {
    if (['normalized', 'lstrip', 'rstrip', 'single_word'].some((k) => t.get(k) === true)) {
      refuse(`added token ${pyDumps(t.get('content') ?? null)}: only plain added tokens (normalized, lstrip, rstrip, single_word all false) are supported`);
    }
  }
  const post = tj.get('post_processor');
  const kind = field(post, 'type');
  let startId: number;
  let endId: number;
  if (kind === 'BertProcessing') {
    const cls = field(post, 'cls');
    const sep = field(post, 'sep');
    startId = int(Array.isArray(cls) ? cls[1] : undefined, 'post_processor.cls');
    endId = int(Array.isArray(sep) ? sep[1] : undefined, 'post_processor.sep');
  } else if (kind === 'TemplateProcessing') {
    const single = field(post, 'single');
    const parts = Array.isArray(single) ? single : [];
    if (parts.map((p) => (p instanceof PyObject ? p.entries[0]?.[0] : '')).join() !== 'SpecialToken,Sequence,SpecialToken') refuse('post_processor.single must be [CLS] $A [SEP]');
    const ids = [0, 2].map((i) => field(field(field(post, 'special_tokens'), String(field(field(parts[i], 'SpecialToken'), 'id'))), 'ids'));
    if (ids.some((x) => !Array.isArray(x) || x.length !== 1)) refuse('post_processor special tokens must be one id each');
    startId = int((ids[0] as PyValue[])[0], '[CLS]');
    endId = int((ids[1] as PyValue[])[0], '[SEP]');
  } else {
    refuse(`tokenizer.json post_processor is ${pyDumps(kind ?? null)}, not TemplateProcessing or BertProcessing`);
  }
  const padding = tj.get('padding');
  let padId: number;
  if (padding instanceof PyObject && padding.has('pad_id')) padId = int(padding.get('pad_id'), 'padding.pad_id');
  else if (vocab.has('[PAD]')) padId = int(vocab.get('[PAD]'), '[PAD]');
  else refuse('no pad id: tokenizer.json has no padding.pad_id and no [PAD] token');
  let topId = 0;
  for (const [, id] of vocab.entries) topId = Math.max(topId, int(id, 'a vocabulary entry'));
  for (const t of addedList) topId = Math.max(topId, int(t.get('id'), 'an added token'));
  return { startId, endId, padId, topId };
}

/** The bundle's tokenizer.json text (UTF-8 it is the toolchain's bytes) and its ids, from the hub's files. */
export function bundleTokenizer(files: HubTokenizerFiles): { text: string; ids: WordPieceIds } {
  let tj: PyValue;
  if (files.tokenizerJson !== undefined) {
    try {
      tj = pyLoads(files.tokenizerJson);
    } catch {
      refuse('tokenizer.json is not valid JSON');
    }
  } else if (files.vocabTxt !== undefined) {
    let lower: PyValue | undefined = true;
    if (files.tokenizerConfig !== undefined) {
      try {
        lower = field(pyLoads(files.tokenizerConfig), 'do_lower_case') ?? true;
      } catch {
        refuse('tokenizer_config.json is not valid JSON');
      }
    }
    tj = tokenizerJsonFromVocab(readVocabTxt(files.vocabTxt), lower !== false);
  } else {
    refuse('neither tokenizer.json nor vocab.txt was picked');
  }
  if (!(tj instanceof PyObject)) refuse('tokenizer.json is not a JSON object');
  const ids = wordPieceIds(tj);
  // json_bytes: {**json, "truncation": None, "padding": None}: existing keys keep their place.
  const out = new PyObject();
  for (const [k, v] of tj.entries) out.set(k, v);
  out.set('truncation', null).set('padding', null);
  return { text: pyDumps(out), ids };
}
