/**
 * The loaded model: bundle source, engine client, tokenizer and the shipped text embeddings.
 * One at a time; a new bundle or backend preference disposes the old engine.
 */
import { useQuery } from '@tanstack/react-query';
import { create } from 'zustand';
import type { Preference } from '../core/backend-plan';
import { toWireError } from '../core/errors';
import { createTokenizer, type TextTokenizer } from '../core/tokenizer';
import { loadEmbeddingTable, type EmbeddingTable } from '../core/zeroshot';
import { EngineClient, type EngineStatus } from '../engine/client';
import { openBundle, type BundleSource } from '../storage/bundle-source';
import { useCases } from './cases';
import { setEvictionListener } from './embed';
import { useSettings } from './settings';

setEvictionListener((n) =>
  useCases.getState().notify({ level: 'info', message: `The browser's storage was full: ${n} least recently used cached embeddings were removed to make room. Saved cases were kept.` }),
);

export interface LoadedModel {
  source: BundleSource;
  engine: EngineClient;
  tokenizer: TextTokenizer;
  shipped: EmbeddingTable;
}

interface EngineStatusState {
  status: EngineStatus;
  set(s: EngineStatus): void;
}

export const useEngineStatus = create<EngineStatusState>((set) => ({
  status: { phase: 'idle' },
  set: (status) => set({ status }),
}));

let current: { key: string; promise: Promise<LoadedModel> } | null = null;

export function modelKey(bundleUrl: string, pref: Preference): string {
  return JSON.stringify([bundleUrl, pref.backend ?? 'auto', pref.variant ?? 'auto', pref.numThreads ?? 0]);
}

async function load(bundleUrl: string, pref: Preference): Promise<LoadedModel> {
  lastLoad = {};
  const setStatus = useEngineStatus.getState().set;
  setStatus({ phase: 'probing' });
  const t0 = performance.now();
  const source = await openBundle(bundleUrl);
  const m = source.manifest;
  const manifestMs = performance.now() - t0;
  const engine = new EngineClient(source, pref, setStatus);
  // Load the image tower now (the first photo should not wait for it), while the tokenizer and the
  // shipped text embeddings are read. The text tower stays lazy.
  const image = engine.ready('image');
  image.catch(() => undefined);
  const tables = Promise.all([
    source.getJson<unknown>(m.tokenizer.file),
    source.getJson<{ prompts: string[] }>(m.textEmbeddings.prompts),
    source.getFile(m.textEmbeddings.file),
  ]).then(([tokJson, prompts, table]) => {
    const r = { tokenizer: createTokenizer(m.tokenizer, tokJson), shipped: loadEmbeddingTable(table, prompts.prompts, m.embedDim) };
    lastLoad.tablesMs = performance.now() - t0;
    return r;
  });
  let tablesResult: Awaited<typeof tables>;
  try {
    tablesResult = await tables;
  } catch (e) {
    engine.dispose();
    throw e;
  }
  await image;
  lastLoad = { ...lastLoad, manifestMs, totalMs: performance.now() - t0 };
  for (const w of source.warnings) useCases.getState().notify({ level: 'warning', message: w });
  return { source, engine, ...tablesResult };
}

/** Where the last model load's time went (ms from its start; diagnostics and benchmarks). */
export let lastLoad: { manifestMs?: number; tablesMs?: number; totalMs?: number } = {};

/** The model for these settings, loading it (once) if needed. */
export function getModel(bundleUrl: string, pref: Preference): Promise<LoadedModel> {
  const key = modelKey(bundleUrl, pref);
  if (current?.key === key) return current.promise;
  const old = current;
  const promise = load(bundleUrl, pref);
  current = { key, promise };
  promise.catch((e: unknown) => {
    if (current?.promise !== promise) return;
    current = null;
    useEngineStatus.getState().set({ phase: 'error', error: toWireError(e) });
  });
  old?.promise.then((m) => m.engine.dispose(), () => undefined);
  return promise;
}

export function currentPreference(): { bundleUrl: string; pref: Preference } {
  const s = useSettings.getState();
  return { bundleUrl: s.bundleUrl, pref: { backend: s.backend, variant: s.variant, numThreads: s.numThreads } };
}

/** React hook: the model for the current settings. */
export function useModel() {
  const bundleUrl = useSettings((s) => s.bundleUrl);
  const backend = useSettings((s) => s.backend);
  const variant = useSettings((s) => s.variant);
  const numThreads = useSettings((s) => s.numThreads);
  const pref: Preference = { backend, variant, numThreads };
  return useQuery({
    queryKey: ['model', modelKey(bundleUrl, pref)],
    queryFn: () => getModel(bundleUrl, pref),
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
  });
}
