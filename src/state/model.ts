/**
 * The loaded model, and its one owner: bundle source, engine client, tokenizer and the shipped
 * text embeddings. One model at a time; asking for another (bundle or backend preference)
 * disposes the engine it replaces. React reads it from the `useLoadedModel` store; nothing else
 * (no query cache) holds a model.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { Preference } from '../core/backend-plan';
import { toWireError } from '../core/errors';
import { createTokenizer, type TextTokenizer } from '../core/tokenizer';
import { loadEmbeddingTable, type EmbeddingTable } from '../core/zeroshot';
import { EngineClient } from '../engine/client';
import type { EngineStatus } from '../engine/protocol';
import { openBundle, type BundleSource } from '../storage/bundle-source';
import { debugEnabled } from './debug';
import { notify } from './notices';
import { useSettings } from './settings';

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

type ModelSlot =
  | { key: null; phase: 'idle' }
  | { key: string; phase: 'loading'; promise: Promise<LoadedModel> }
  | { key: string; phase: 'ready'; promise: Promise<LoadedModel>; model: LoadedModel }
  | { key: string; phase: 'error'; error: unknown };

/** The one holder of the loaded model (or the load in progress, or why it failed). */
export const useLoadedModel = create<{ slot: ModelSlot }>(() => ({ slot: { key: null, phase: 'idle' } }));

export function modelKey(bundleUrl: string, pref: Preference): string {
  return JSON.stringify([bundleUrl, pref.backend ?? 'auto', pref.variant ?? 'auto', pref.numThreads ?? 0]);
}

/** Where the last model load's time went (ms from its start; diagnostics and benchmarks). */
export let lastLoad: { manifestMs?: number; tablesMs?: number; totalMs?: number } = {};

async function load(bundleUrl: string, pref: Preference): Promise<LoadedModel> {
  lastLoad = {};
  const setStatus = useEngineStatus.getState().set;
  setStatus({ phase: 'probing' });
  const t0 = performance.now();
  const source = await openBundle(bundleUrl);
  const m = source.manifest;
  const manifestMs = performance.now() - t0;
  const engine = new EngineClient({ source, preference: pref, onStatus: setStatus, debug: debugEnabled() });
  // Load the image tower now (the first photo should not wait for it), while the tokenizer and the
  // shipped text embeddings are read. The text tower stays lazy.
  const image = engine.ready('image');
  image.catch(() => undefined);
  try {
    const [tokJson, prompts, table] = await Promise.all([
      source.getJson<unknown>(m.tokenizer.file),
      source.getJson<{ prompts: string[] }>(m.textEmbeddings.prompts),
      source.getFile(m.textEmbeddings.file),
    ]);
    const tokenizer = createTokenizer(m.tokenizer, tokJson);
    const shipped = loadEmbeddingTable(table, prompts.prompts, m.embedDim);
    lastLoad.tablesMs = performance.now() - t0;
    await image;
    lastLoad = { ...lastLoad, manifestMs, totalMs: performance.now() - t0 };
    for (const w of source.warnings) notify({ level: 'warning', message: w });
    return { source, engine, tokenizer, shipped };
  } catch (e) {
    engine.dispose();
    throw e;
  }
}

/** The model for these settings, loading it (once) if needed; the model it replaces is disposed. */
export function getModel(bundleUrl: string, pref: Preference): Promise<LoadedModel> {
  const key = modelKey(bundleUrl, pref);
  const slot = useLoadedModel.getState().slot;
  if (slot.key === key && (slot.phase === 'loading' || slot.phase === 'ready')) return slot.promise;
  release(slot);
  const promise = load(bundleUrl, pref);
  const mine = () => {
    const s = useLoadedModel.getState().slot;
    return s.phase === 'loading' && s.promise === promise;
  };
  useLoadedModel.setState({ slot: { key, phase: 'loading', promise } });
  promise.then(
    (model) => {
      if (mine()) useLoadedModel.setState({ slot: { key, phase: 'ready', promise, model } });
      else model.engine.dispose();
    },
    (error: unknown) => {
      if (!mine()) return;
      useLoadedModel.setState({ slot: { key, phase: 'error', error } });
      useEngineStatus.getState().set({ phase: 'error', error: toWireError(error) });
    },
  );
  return promise;
}

function release(slot: ModelSlot): void {
  if (slot.phase === 'ready') slot.model.engine.dispose();
  // A load still in progress is disposed when it lands (it is no longer the slot's).
}

export function currentPreference(): { bundleUrl: string; pref: Preference } {
  const s = useSettings.getState();
  return { bundleUrl: s.bundleUrl, pref: { backend: s.backend, variant: s.variant, numThreads: s.numThreads } };
}

/** The model of the current page (console API, collections): the settings' model. */
export function currentModel(): Promise<LoadedModel> {
  const { bundleUrl, pref } = currentPreference();
  return getModel(bundleUrl, pref);
}

export interface ModelView {
  data: LoadedModel | undefined;
  isError: boolean;
  error: unknown;
}

/** React hook: the model for the current settings (loading it when they change). */
export function useModel(): ModelView {
  const bundleUrl = useSettings((s) => s.bundleUrl);
  const backend = useSettings((s) => s.backend);
  const variant = useSettings((s) => s.variant);
  const numThreads = useSettings((s) => s.numThreads);
  const key = modelKey(bundleUrl, { backend, variant, numThreads });
  const slot = useLoadedModel((s) => s.slot);
  useEffect(() => {
    getModel(bundleUrl, { backend, variant, numThreads }).catch(() => undefined);
  }, [bundleUrl, backend, variant, numThreads]);
  if (slot.key !== key) return { data: undefined, isError: false, error: null };
  return { data: slot.phase === 'ready' ? slot.model : undefined, isError: slot.phase === 'error', error: slot.phase === 'error' ? slot.error : null };
}
