/**
 * Teaching packs for the teach screens: the packs on this device (the shipped sample pack is
 * added on first visit), import/export, making a pack from saved cases, quiz progress, and the
 * "prepare" step that computes every case's image embedding before a session, so nothing runs
 * the model in front of the room.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { leafLabelSet } from '../core/labels';
import { workingCrop } from '../core/crop';
import { buildPack, type DraftCase } from '../core/teach/draft';
import type { Pack, PackCase } from '../core/teach/pack';
import { toAppError } from '../core/errors';
import { decodePhoto } from '../media/decode';
import { deletePack, getPack, getQuizProgress, listPacks, packFile, readPackFile, savePack, saveQuizProgress, type QuizProgress, type StoredPack } from '../storage/packs';
import { ontologyTree, useClassifier, useConceptTable, useDiagnosis } from './diagnosis';
import { embedImage } from './embed';
import { notify } from './notices';
import type { LoadedModel } from './model';
import { useSettings } from './settings';
import { similarCases, type SimilarCase } from './teach-similar';

export type { Pack, PackCase, QuizProgress, SimilarCase, StoredPack };

/** Every leaf label: the answers a pack may hold, and what the teaching screens rank against. */
export const LEAF_SET = leafLabelSet(ontologyTree);
export const LEAF_LABELS = LEAF_SET.labels;
const KNOWN = new Set(LEAF_LABELS.map((l) => l.id));

export const SAMPLE_PACK_URL = '/packs/sample-pack.zip';

/** Add the shipped sample pack once (it is precached: this works offline). */
async function ensureSamplePack(): Promise<void> {
  if ((await listPacks()).some((p) => p.pack.id === 'sample') || localStorage.getItem('dermlip-sample-pack-removed')) return;
  const res = await fetch(SAMPLE_PACK_URL);
  if (!res.ok) return;
  await savePack(await readPackFile(new File([await res.blob()], 'sample-pack.zip'), KNOWN));
}

export function usePacks() {
  return useQuery({
    queryKey: ['packs'],
    queryFn: async () => {
      await ensureSamplePack().catch(() => undefined);
      return listPacks();
    },
    staleTime: 0,
  });
}

export function usePack(id: string) {
  return useQuery({
    queryKey: ['pack', id],
    queryFn: async () => {
      // A link straight to the sample pack works on a first visit too.
      if (id === 'sample') await ensureSamplePack().catch(() => undefined);
      return (await getPack(id)) ?? null;
    },
    staleTime: 0,
  });
}

export function useRefreshPacks() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'packs' || q.queryKey[0] === 'pack' });
}

/** Validate and store a pack file; a pack with the same id is replaced. */
export async function importPackFile(file: File): Promise<Pack> {
  const p = await readPackFile(file, KNOWN);
  await savePack(p);
  return p.pack;
}

export async function exportPackFile(id: string): Promise<{ name: string; blob: Blob }> {
  const p = await getPack(id);
  if (!p) throw new Error(`No teaching pack "${id}" on this device.`);
  return { name: `${p.pack.id}.dermlip-pack.zip`, blob: await packFile(p) };
}

export async function removePack(id: string): Promise<void> {
  await deletePack(id);
  // The sample pack is not added again once the user removed it.
  if (id === 'sample') localStorage.setItem('dermlip-sample-pack-removed', '1');
}

/** A chosen photo with its answer; `photo` gives its bytes as the user gave them. */
export interface PackDraftCase extends DraftCase {
  photo: () => Promise<Blob>;
}

/** A pack from chosen photos (saved cases, collection photos), each with its answer. */
export async function makePack(draft: { title: string; description: string; author: string; cases: PackDraftCase[] }): Promise<Pack> {
  const pack = buildPack(draft, LEAF_LABELS, Date.now());
  const photos: Record<string, Blob> = {};
  for (const [i, c] of pack.cases.entries()) photos[c.photo] = await draft.cases[i].photo();
  await savePack({ pack, photos, importedAt: Date.now() });
  return pack;
}

export interface PreparedCase {
  embedding: Float32Array;
  variant: string;
  backend: string;
  /** The nearest photos of this device's collections (same model), ranked when the pack was prepared. */
  similar: SimilarCase[];
}

interface PreparedState {
  /** `${model key}|${pack id}` -> case id -> embedding. */
  byPack: Record<string, Record<string, PreparedCase>>;
  progress: { done: number; total: number } | null;
}

export const usePrepared = create<PreparedState>(() => ({ byPack: {}, progress: null }));

/** Per model and per stored copy of a pack (a pack imported again is prepared again). */
const preparedKey = (model: LoadedModel, p: StoredPack) => `${model.key}|${p.pack.id}|${p.importedAt}`;

/** Every case's image embedding (the embedding cache makes a second preparation instant). */
export async function preparePack(p: StoredPack, model: LoadedModel, signal?: AbortSignal): Promise<void> {
  const key = preparedKey(model, p);
  const out: Record<string, PreparedCase> = {};
  usePrepared.setState({ progress: { done: 0, total: p.pack.cases.length } });
  try {
    for (const [i, c] of p.pack.cases.entries()) {
      signal?.throwIfAborted();
      const photo = await decodePhoto(p.photos[c.photo], c.photo);
      const crop = workingCrop(c.crop, photo.scale, photo.pixels.width, photo.pixels.height);
      const r = await embedImage(model, photo.pixels, crop, { signal });
      out[c.id] = { embedding: r.embedding, variant: r.variant, backend: r.backend, similar: [] };
      usePrepared.setState({ progress: { done: i + 1, total: p.pack.cases.length } });
    }
    // Similar cases from the collections (a bonus: a failure leaves them out, the session goes on).
    const first = Object.values(out)[0];
    if (first) {
      try {
        const similar = await similarCases(model, first.variant, p.pack.cases.map((c) => ({ id: c.id, photoSha256: c.photoSha256, embedding: out[c.id].embedding })));
        for (const [id, list] of Object.entries(similar)) out[id].similar = list;
      } catch (e) {
        notify({ level: 'warning', message: `Similar cases from your collections could not be prepared: ${toAppError(e).message}` });
      }
    }
    usePrepared.setState((s) => ({ byPack: { ...s.byPack, [key]: out }, progress: null }));
  } catch (e) {
    usePrepared.setState({ progress: null });
    throw e;
  }
}

/**
 * The prepare step as a hook: starts preparing the pack for this model unless it is prepared
 * already; `prepared` (case id -> embedding) once every case is done, `progress` meanwhile.
 */
export function usePreparedPack(model: LoadedModel | undefined, p: StoredPack | null | undefined) {
  const key = model && p ? preparedKey(model, p) : null;
  const prepared = usePrepared((s) => (key ? s.byPack[key] : undefined));
  const progress = usePrepared((s) => s.progress);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!model || !p || prepared) return;
    const ctl = new AbortController();
    setError(null);
    preparePack(p, model, ctl.signal).catch((e: unknown) => {
      if (!ctl.signal.aborted) setError(e);
    });
    return () => ctl.abort();
  }, [model, p, prepared]);
  return { prepared, progress, error };
}

export function loadQuizProgress(packId: string): Promise<QuizProgress> {
  return getQuizProgress(packId).then((p) => p ?? { packId, answers: [], updatedAt: Date.now() });
}

export function storeQuizProgress(p: QuizProgress): Promise<void> {
  return saveQuizProgress({ ...p, updatedAt: Date.now() });
}

/**
 * What the model says about an embedding already computed (a prepared case, a kiosk photo):
 * the ranking over every leaf label, the roll-up and the concepts. A matrix product over shipped
 * text embeddings: the image encoder is never called. `tablesReady`: the label and concept
 * tables are loaded (the prepare step waits for them, so a reveal is instant).
 */
export function useEmbeddingDiagnosis(model: LoadedModel | undefined, embedding: Float32Array | undefined) {
  const templateSetId = useSettings((s) => s.templateSetId);
  const leaves = useClassifier(model, LEAF_SET, templateSetId);
  const concepts = useConceptTable(model);
  const diagnosis = useDiagnosis(model, embedding, leaves.data, leaves.data, concepts.data);
  return { diagnosis, tablesReady: Boolean(leaves.data && concepts.data), error: leaves.error ?? concepts.error };
}

/** Presenter theme: dark (the default: a projector in a dim room) or light (a bright room). */
export const usePresenterTheme = create<{ theme: 'dark' | 'light'; toggle(): void }>()(
  persist((set, get) => ({ theme: 'dark', toggle: () => set({ theme: get().theme === 'dark' ? 'light' : 'dark' }) }), { name: 'dermlip-presenter-theme', version: 1 }),
);
