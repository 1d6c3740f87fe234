/**
 * One conversion, step by step: check the files (config, text-model files for DermLIP-PanDerm,
 * then the checkpoint in the worker),
 * fingerprint the checkpoint (sha256), write the 16 graph and weights files as they are produced,
 * the config, tokenizer and prompt list, then compute the prompt table with the new fp32 text
 * encoder (batch by batch, each kept, so a reload resumes), write the manifest last and select
 * the bundle. A refusal happens before anything is written; a failure while writing removes
 * everything written.
 */
import { architectureFor, type ShippedArchitecture } from '../core/convert/architectures';
import { CONFIG_FILE, convertedBundleId, convertedManifest, PROMPTS_FILE, TABLE_FILE, TOKENIZER_FILE } from '../core/convert/converted-manifest';
import { parseLayout, type ConvertLayout } from '../core/convert/layout';
import { parseOpenClipConfig } from '../core/convert/openclip-config';
import { assembleTable, batchRowsF16, etaSeconds, planBatches } from '../core/convert/prompt-table';
import { promptsJsonText, shippedPrompts } from '../core/convert/shipped-prompts';
import { AppError } from '../core/errors';
import { parseManifest, type FileEntry, type Manifest } from '../core/manifest';
import { createTokenizer } from '../core/tokenizer';
import { EngineClient } from '../engine/client';
import { ConverterClient } from '../engine/convert-client';
import type { ModelSource } from '../engine/protocol';
import { discardConversion, fetchConvertAsset, finishConversion, getBatch, putBatch, readRecord, writeBundleFile, writeRecord, writeSmallFile, type ConversionRecord } from '../storage/convert-store';
import { IMPORTED, readManifestText, storeManifest } from '../storage/manifests';
import { readCached, readCachedBlob } from '../storage/weights';
import { debugEnabled } from './debug';
import { pickedTokenizer, sortPicked } from './convert-files';
import { useSettings } from './settings';

export type ConvertStatus =
  | { phase: 'checking' }
  | { phase: 'hashing'; loaded: number; total: number }
  | { phase: 'writing'; file: string; index: number; count: number; bytes: number; fileBytes: number }
  /** textWeights: how the text session read its weights (engine/blob-bytes.ts), once it is loaded. */
  | { phase: 'prompts'; done: number; total: number; etaS: number | null; textWeights?: 'blob' | 'memory' | 'none' };

const PROMPT_BATCH = 64;
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

async function assets(arch: ShippedArchitecture): Promise<{ layout: ConvertLayout; skeletons: Record<string, ArrayBuffer> }> {
  const layout = parseLayout(JSON.parse(decode(await fetchConvertAsset(`${arch.id}/layout.json`))));
  const skeletons: Record<string, ArrayBuffer> = {};
  for (const f of layout.files) if (f.kind === 'graph') skeletons[f.name] = (await fetchConvertAsset(`${arch.id}/${f.name}`)).slice().buffer;
  return { layout, skeletons };
}

/** The bundle's manifest from the record: a draft (no prompt table yet) or the final one. */
function manifestJson(r: ConversionRecord): Record<string, unknown> {
  const spec = parseOpenClipConfig(r.configText, r.textConfigText ?? null);
  return convertedManifest({ arch: architectureFor(spec.model), architecture: r.layoutArchitecture, spec, checkpoint: r.checkpoint, modelLogitScale: r.modelLogitScale, files: r.files, promptCount: shippedPrompts().length, wordpiece: r.wordpiece ?? null });
}

/** Convert the picked files into a bundle; resolves with its base URL once it is stored and selected. */
export async function runConversion(files: readonly File[], onStatus: (s: ConvertStatus) => void, signal?: AbortSignal): Promise<string> {
  onStatus({ phase: 'checking' });
  const picked = await sortPicked(files);
  const { checkpoint, config, configText, textConfigText } = picked;
  const spec = parseOpenClipConfig(configText, textConfigText);
  const tokenizer = pickedTokenizer(picked, spec);
  const arch = architectureFor(spec.model);
  const { layout, skeletons } = await assets(arch);
  const client = new ConverterClient();
  let record: ConversionRecord | null = null;
  try {
    const opened = await client.open({ checkpoint, fileName: checkpoint.name, configText, textConfigText, layout, skeletons });
    const sha256 = await client.sha256((p) => onStatus({ phase: 'hashing', loaded: p.loaded, total: p.total }), signal);
    const bundleId = convertedBundleId(arch, sha256);
    if (await readManifestText(IMPORTED + bundleId)) {
      client.dispose();
      return select(IMPORTED + bundleId); // this very checkpoint was converted before
    }
    const earlier = await readRecord();
    if (earlier && earlier.bundleId !== bundleId) await discardConversion(earlier.bundleId);
    record = earlier?.bundleId === bundleId ? earlier : { bundleId, checkpoint: { file: checkpoint.name, sha256, bytes: checkpoint.size }, configText, textConfigText, wordpiece: tokenizer?.ids ?? null, architecture: arch.id, layoutArchitecture: layout.architecture, modelLogitScale: opened.modelLogitScale, files: {}, stage: 'weights', batchesDone: [], batchSize: PROMPT_BATCH, startedAt: Date.now() };
    await writeRecord(record);
    for (const [i, f] of layout.files.entries()) {
      if (record.files[f.name]) continue; // written before a reload, same checkpoint
      signal?.throwIfAborted();
      const w = await writeBundleFile(bundleId, f.name, client.file(f.name, signal), (bytes) => onStatus({ phase: 'writing', file: f.name, index: i, count: layout.files.length, bytes, fileBytes: f.bytes }));
      record.files[f.name] = w.entry;
      await writeRecord(record);
    }
    client.dispose();
    const small: [string, Uint8Array][] = [
      [CONFIG_FILE, new Uint8Array(await config.arrayBuffer())],
      [TOKENIZER_FILE, tokenizer ? new TextEncoder().encode(tokenizer.text) : await fetchConvertAsset('tokenizer.json')],
      [PROMPTS_FILE, new TextEncoder().encode(promptsJsonText(shippedPrompts()))],
    ];
    for (const [name, data] of small) record.files[name] = (await writeSmallFile(bundleId, name, data)).entry;
    record.stage = 'prompts';
    await writeRecord(record);
  } catch (e) {
    client.dispose();
    // A refusal wrote nothing; a failure while writing leaves nothing behind either.
    if (record) await discardConversion(record.bundleId).catch(() => undefined);
    throw e;
  }
  return resumePrompts(record, onStatus, signal);
}

function draftSource(r: ConversionRecord, manifest: Manifest): ModelSource {
  const stored = async <T,>(name: string, read: (id: string, file: string, entry: FileEntry) => Promise<T | null>): Promise<T> => {
    const entry = r.files[name];
    const data = entry ? await read(r.bundleId, name, entry) : null;
    if (!data) throw new AppError('file-corrupt', `The converted file ${name} is no longer stored on this device.`, 'Discard the conversion and start again.');
    return data;
  };
  // The weights as Blobs left in the cache: the engine reads them tensor by tensor.
  return { manifest, getFile: (name) => stored(name, readCached), getWeights: (name) => stored(name, readCachedBlob) };
}

/** The prompt table (resumable), then the manifest: the bundle is complete and selected. */
export async function resumePrompts(record: ConversionRecord, onStatus: (s: ConvertStatus) => void, signal?: AbortSignal): Promise<string> {
  const r = record;
  const draft = parseManifest(manifestJson(r));
  const source = draftSource(r, draft);
  const tokenizer = createTokenizer(draft.tokenizer, JSON.parse(decode(new Uint8Array(await source.getFile(TOKENIZER_FILE)))));
  const prompts = shippedPrompts();
  const batches = planBatches(tokenizer.encode(prompts).lengths, r.batchSize);
  const s = useSettings.getState();
  const engine = new EngineClient({ source, preference: { backend: s.backend, variant: 'fp32', numThreads: s.numThreads }, debug: debugEnabled(), lowMemory: true });
  const t0 = performance.now();
  const doneAtStart = r.batchesDone.reduce((n, k) => n + batches[k].length, 0);
  let done = doneAtStart;
  try {
    for (const [k, b] of batches.entries()) {
      if (r.batchesDone.includes(k)) continue;
      signal?.throwIfAborted();
      const textWeights = engine.loadTimings.text?.weightsFrom;
      onStatus({ phase: 'prompts', done, total: prompts.length, etaS: etaSeconds(done - doneAtStart, prompts.length - doneAtStart, performance.now() - t0), textWeights });
      const enc = tokenizer.trimToLongest(tokenizer.encode(b.map((i) => prompts[i])));
      await putBatch(r.bundleId, k, batchRowsF16(await engine.encodeTexts(enc, { signal })));
      r.batchesDone.push(k);
      await writeRecord(r);
      done += b.length;
    }
  } finally {
    engine.dispose();
  }
  onStatus({ phase: 'prompts', done, total: prompts.length, etaS: 0 });
  const rows: Uint8Array[] = [];
  for (const k of batches.keys()) {
    const got = await getBatch(r.bundleId, k);
    if (!got) throw new AppError('file-corrupt', `Batch ${k} of the prompt table is missing from this device's storage.`, 'Discard the conversion and start again.');
    rows.push(got);
  }
  const table = assembleTable(prompts.length, draft.embedDim, batches, rows);
  r.files[TABLE_FILE] = (await writeSmallFile(r.bundleId, TABLE_FILE, table)).entry;
  const json = manifestJson(r);
  parseManifest(json); // the final manifest is checked like any bundle's before it is kept
  await storeManifest(IMPORTED + r.bundleId, `${JSON.stringify(json, null, 2)}\n`);
  await finishConversion();
  return select(IMPORTED + r.bundleId);
}

function select(baseUrl: string): string {
  useSettings.getState().update({ bundleUrl: baseUrl, variant: 'auto' });
  return baseUrl;
}
