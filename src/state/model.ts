/**
 * The loaded models, and their one owner: bundle source, engine client, tokenizer and the shipped
 * text embeddings. One model per slot: `main` (the settings' model, used everywhere) and `compare`
 * (the second model of the compare screen); asking a slot for another model (bundle or backend
 * preference) disposes the engine it replaces. React reads them from the `useLoadedModel` store;
 * nothing else (no query cache) holds a model.
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
  /** Bundle and backend preference (modelKey): two loaded models never share cached results. */
  key: string;
  source: BundleSource;
  engine: EngineClient;
  /**
   * The text tokenizer, built on first use: only prompts missing from the shipped table need it
   * (with the text tower, which is lazy too). Its file is read at load, so it is verified and kept
   * for offline use, but not parsed: the parsed JSON and the BPE tables are ~15 MB of JS heap.
   */
  tokenizer(): Promise<TextTokenizer>;
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

export type SlotName = 'main' | 'compare';

const IDLE: ModelSlot = { key: null, phase: 'idle' };

/** The one holder of the loaded models (or the loads in progress, or why they failed). */
export const useLoadedModel = create<{ slots: Record<SlotName, ModelSlot> }>(() => ({ slots: { main: IDLE, compare: IDLE } }));

function setSlot(name: SlotName, slot: ModelSlot): void {
  useLoadedModel.setState((s) => ({ slots: { ...s.slots, [name]: slot } }));
}

export function modelKey(bundleUrl: string, pref: Preference): string {
  return JSON.stringify([bundleUrl, pref.backend ?? 'auto', pref.variant ?? 'auto', pref.numThreads ?? 0, pref.precision ?? 'fast']);
}

/** Where the last model load's time went (ms from its start; diagnostics and benchmarks). */
export let lastLoad: { manifestMs?: number; tablesMs?: number; totalMs?: number } = {};

async function load(bundleUrl: string, pref: Preference, slotName: SlotName): Promise<LoadedModel> {
  if (slotName === 'main') lastLoad = {};
  // The header's status follows the main model; the compare slot shows its own.
  const setStatus = slotName === 'main' ? useEngineStatus.getState().set : (status: EngineStatus) => useCompareStatus.setState({ status });
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
    const [, prompts, table] = await Promise.all([
      source.getFile(m.tokenizer.file),
      source.getJson<{ prompts: string[] }>(m.textEmbeddings.prompts),
      source.getFile(m.textEmbeddings.file),
    ]);
    const shipped = loadEmbeddingTable(table, prompts.prompts, m.embedDim);
    let tokenizing: Promise<TextTokenizer> | null = null;
    const tokenizer = (): Promise<TextTokenizer> =>
      (tokenizing ??= source.getJson<unknown>(m.tokenizer.file).then(
        (json) => createTokenizer(m.tokenizer, json),
        (e: unknown) => {
          tokenizing = null; // a failed read is not remembered
          throw e;
        },
      ));
    const tablesMs = performance.now() - t0;
    await image;
    if (slotName === 'main') lastLoad = { tablesMs, manifestMs, totalMs: performance.now() - t0 };
    for (const w of source.warnings) notify({ level: 'warning', message: w });
    return { key: modelKey(bundleUrl, pref), source, engine, tokenizer, shipped };
  } catch (e) {
    engine.dispose();
    throw e;
  }
}

/** The status of the compare slot's engine (the header shows the main one). */
export const useCompareStatus = create<{ status: EngineStatus }>(() => ({ status: { phase: 'idle' } }));

/** The model for these settings in a slot, loading it (once) if needed; the model it replaces is disposed. */
export function getModel(bundleUrl: string, pref: Preference, slotName: SlotName = 'main'): Promise<LoadedModel> {
  const key = modelKey(bundleUrl, pref);
  const slot = useLoadedModel.getState().slots[slotName];
  if (slot.key === key && (slot.phase === 'loading' || slot.phase === 'ready')) return slot.promise;
  release(slot);
  const promise = load(bundleUrl, pref, slotName);
  const mine = () => {
    const s = useLoadedModel.getState().slots[slotName];
    return s.phase === 'loading' && s.promise === promise;
  };
  setSlot(slotName, { key, phase: 'loading', promise });
  promise.then(
    (model) => {
      if (mine()) setSlot(slotName, { key, phase: 'ready', promise, model });
      else model.engine.dispose();
    },
    (error: unknown) => {
      if (!mine()) return;
      setSlot(slotName, { key, phase: 'error', error });
      const status: EngineStatus = { phase: 'error', error: toWireError(error) };
      if (slotName === 'main') useEngineStatus.getState().set(status);
      else useCompareStatus.setState({ status });
    },
  );
  return promise;
}

/** Dispose a slot's model (the compare screen frees its second model when it closes). */
export function releaseSlot(slotName: SlotName): void {
  release(useLoadedModel.getState().slots[slotName]);
  setSlot(slotName, IDLE);
  if (slotName === 'compare') useCompareStatus.setState({ status: { phase: 'idle' } });
}
function release(slot: ModelSlot): void {
  if (slot.phase === 'ready') slot.model.engine.dispose();
  // A load still in progress is disposed when it lands (it is no longer the slot's).
}

export function currentPreference(): { bundleUrl: string; pref: Preference } {
  const s = useSettings.getState();
  return { bundleUrl: s.bundleUrl, pref: { backend: s.backend, variant: s.variant, numThreads: s.numThreads, precision: s.precision } };
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
  const precision = useSettings((s) => s.precision);
  const key = modelKey(bundleUrl, { backend, variant, numThreads, precision });
  const slot = useLoadedModel((s) => s.slots.main);
  useEffect(() => {
    getModel(bundleUrl, { backend, variant, numThreads, precision }).catch(() => undefined);
  }, [bundleUrl, backend, variant, numThreads, precision]);
  return viewOf(slot, key);
}

function viewOf(slot: ModelSlot, key: string): ModelView {
  if (slot.key !== key) return { data: undefined, isError: false, error: null };
  return { data: slot.phase === 'ready' ? slot.model : undefined, isError: slot.phase === 'error', error: slot.phase === 'error' ? slot.error : null };
}

/** React hook: a second model in the compare slot (loaded while mounted, disposed when the screen closes). */
export function useCompareModel(bundleUrl: string | null, pref: Preference): ModelView {
  const key = bundleUrl ? modelKey(bundleUrl, pref) : '';
  const slot = useLoadedModel((s) => s.slots.compare);
  const { backend, variant, numThreads, precision } = pref;
  useEffect(() => {
    if (bundleUrl) getModel(bundleUrl, { backend, variant, numThreads, precision }, 'compare').catch(() => undefined);
  }, [bundleUrl, backend, variant, numThreads, precision]);
  useEffect(() => () => releaseSlot('compare'), []);
  return viewOf(slot, key);
}
