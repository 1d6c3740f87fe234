/**
 * Teaching packs for the teach screens: the packs on this device (the shipped sample pack is
 * added on first visit), import/export, making a pack from saved cases, quiz progress, and the
 * "prepare" step that computes every case's image embedding before a session, so nothing runs
 * the model in front of the room.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { create } from 'zustand';
import { leafLabelSet } from '../core/labels';
import { workingCrop } from '../core/crop';
import { PACK_FORMAT, PACK_VERSION, type Pack, type PackCase } from '../core/teach/pack';
import { decodePhoto } from '../media/decode';
import { deletePack, getPack, getQuizProgress, listPacks, packFile, readPackFile, savePack, saveQuizProgress, type QuizProgress, type StoredPack } from '../storage/packs';
import type { SavedCase } from './cases';
import { ontologyTree } from './diagnosis';
import { embedImage } from './embed';
import type { LoadedModel } from './model';

export type { Pack, PackCase, QuizProgress, StoredPack };

/** The ids of every leaf label: the answers a pack may hold. */
export const LEAF_LABELS = leafLabelSet(ontologyTree).labels;
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
  return useQuery({ queryKey: ['pack', id], queryFn: async () => (await getPack(id)) ?? null, staleTime: 0 });
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

export interface PackDraftCase {
  c: SavedCase;
  labelId: string;
  notes: string;
  source: string;
  license: string;
}

/** A pack from saved cases, each with its answer; photos as the user gave them. */
export async function makePackFromCases(draft: { title: string; description: string; author: string; cases: PackDraftCase[] }): Promise<Pack> {
  const label = new Map(LEAF_LABELS.map((l) => [l.id, l]));
  const cases: PackCase[] = draft.cases.map((d, i) => {
    const l = label.get(d.labelId);
    if (!l) throw new Error(`Case "${d.c.name}": choose its diagnosis from the ontology.`);
    const ext = d.c.photo.type === 'image/png' ? 'png' : d.c.photo.type === 'image/webp' ? 'webp' : 'jpg';
    return {
      id: `case-${i + 1}`,
      photo: `photos/case-${i + 1}.${ext}`,
      photoSha256: d.c.photoSha256,
      diagnosis: { labelId: l.id, name: l.name },
      question: 'What is the most likely diagnosis?',
      notes: d.notes,
      source: d.source,
      license: d.license,
      ...(d.c.crop ? { crop: d.c.crop } : {}),
    };
  });
  const slug = draft.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'pack';
  const pack: Pack = { format: PACK_FORMAT, version: PACK_VERSION, id: `${slug}-${Date.now().toString(36)}`, title: draft.title, description: draft.description, author: draft.author, createdAt: new Date().toISOString(), cases };
  const photos: Record<string, Blob> = {};
  cases.forEach((c, i) => (photos[c.photo] = draft.cases[i].c.photo));
  await savePack({ pack, photos, importedAt: Date.now() });
  return pack;
}

export interface PreparedCase {
  embedding: Float32Array;
  variant: string;
  backend: string;
}

interface PreparedState {
  /** `${model key}|${pack id}` -> case id -> embedding. */
  byPack: Record<string, Record<string, PreparedCase>>;
  progress: { done: number; total: number } | null;
}

export const usePrepared = create<PreparedState>(() => ({ byPack: {}, progress: null }));

export const preparedKey = (model: LoadedModel, packId: string) => `${model.key}|${packId}`;

/** Every case's image embedding (the embedding cache makes a second preparation instant). */
export async function preparePack(p: StoredPack, model: LoadedModel, signal?: AbortSignal): Promise<void> {
  const key = preparedKey(model, p.pack.id);
  const out: Record<string, PreparedCase> = {};
  usePrepared.setState({ progress: { done: 0, total: p.pack.cases.length } });
  try {
    for (const [i, c] of p.pack.cases.entries()) {
      signal?.throwIfAborted();
      const photo = await decodePhoto(p.photos[c.photo], c.photo);
      const crop = workingCrop(c.crop, photo.scale, photo.pixels.width, photo.pixels.height);
      const r = await embedImage(model, photo.pixels, crop, { signal });
      out[c.id] = { embedding: r.embedding, variant: r.variant, backend: r.backend };
      usePrepared.setState({ progress: { done: i + 1, total: p.pack.cases.length } });
    }
    usePrepared.setState((s) => ({ byPack: { ...s.byPack, [key]: out }, progress: null }));
  } catch (e) {
    usePrepared.setState({ progress: null });
    throw e;
  }
}

export function loadQuizProgress(packId: string): Promise<QuizProgress> {
  return getQuizProgress(packId).then((p) => p ?? { packId, answers: [], updatedAt: Date.now() });
}

export function storeQuizProgress(p: QuizProgress): Promise<void> {
  return saveQuizProgress({ ...p, updatedAt: Date.now() });
}
