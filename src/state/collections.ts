/**
 * The collections (zustand, mirrored to IndexedDB) and the entries of each opened collection,
 * held once in memory (10,000 small records) and updated in place by the importer and the
 * indexer, which bump a version so screens re-render. Thumbnails and photos stay in IndexedDB and
 * are read one at a time.
 */
import { useEffect, useState } from 'react';
import { create } from 'zustand';
import type { MappingOverrides } from '../core/collections/mapping';
import type { CollectionEntry, CollectionMeta } from '../core/collections/types';
import { toAppError } from '../core/errors';
import { deleteCollection, listCollections, listEntries, putEntries, saveCollection } from '../storage/collections';
import { notify } from './notices';

export type { CollectionEntry, CollectionMeta };

interface CollectionsState {
  collections: CollectionMeta[];
  hydrated: boolean;
  /** Per collection id: bumped when its entries change (in memory). */
  versions: Record<string, number>;
  hydrate(): Promise<void>;
  save(meta: CollectionMeta): Promise<void>;
  remove(id: string): Promise<void>;
}

export const useCollections = create<CollectionsState>((set, get) => ({
  collections: [],
  hydrated: false,
  versions: {},
  async hydrate() {
    if (get().hydrated) return;
    try {
      set({ collections: await listCollections(), hydrated: true });
    } catch (e) {
      set({ hydrated: true });
      notify({ level: 'warning', message: `Saved collections could not be read: ${toAppError(e).message}` });
    }
  },
  async save(meta) {
    const others = get().collections.filter((c) => c.id !== meta.id);
    set({ collections: [...others, meta].sort((a, b) => a.createdAt - b.createdAt) });
    await saveCollection(meta);
  },
  async remove(id) {
    loaded.delete(id);
    set({ collections: get().collections.filter((c) => c.id !== id) });
    await deleteCollection(id);
  },
}));

/** After "delete all data": nothing of the collections is left in memory either. */
export function forgetCollections(): void {
  loaded.clear();
  useCollections.setState({ collections: [], versions: {} });
}

export function collectionById(id: string): CollectionMeta | undefined {
  return useCollections.getState().collections.find((c) => c.id === id);
}

/** Save a changed description of a collection (name, mapping, indexing wish). */
export async function updateCollection(id: string, patch: Partial<CollectionMeta>): Promise<void> {
  const c = collectionById(id);
  if (c) await useCollections.getState().save({ ...c, ...patch });
}

export async function setMappingChoice(id: string, labelSetId: string, customText?: string): Promise<void> {
  const c = collectionById(id);
  if (c) await updateCollection(id, { mapping: { ...c.mapping, labelSetId, customText: customText ?? c.mapping.customText } });
}

export async function setMappingOverride(id: string, labelSetId: string, datasetLabel: string, classId: string | null | undefined): Promise<void> {
  const c = collectionById(id);
  if (!c) return;
  const mine: MappingOverrides = { ...(c.mapping.overrides[labelSetId] ?? {}) };
  if (classId === undefined) delete mine[datasetLabel];
  else mine[datasetLabel] = classId;
  await updateCollection(id, { mapping: { ...c.mapping, overrides: { ...c.mapping.overrides, [labelSetId]: mine } } });
}

const loaded = new Map<string, Promise<CollectionEntry[]>>();

/** The entries of a collection, read once and then kept (the importer and indexer update them). */
export function entriesOf(collectionId: string): Promise<CollectionEntry[]> {
  let p = loaded.get(collectionId);
  if (!p) {
    p = listEntries(collectionId);
    loaded.set(collectionId, p);
    p.catch(() => loaded.delete(collectionId));
  }
  return p;
}

/** Entries changed in memory: persist them and tell the screens. */
export async function commitEntries(collectionId: string, changed: readonly CollectionEntry[]): Promise<void> {
  await putEntries(changed);
  bumpEntries(collectionId);
}

/** A new entry joined the in-memory list (the importer: it read the list with entriesOf before writing the entry). */
export async function appendEntry(e: CollectionEntry): Promise<void> {
  (await entriesOf(e.collectionId)).push(e);
}

let bumpTimer: ReturnType<typeof setTimeout> | null = null;
const dirty = new Set<string>();

/** Re-render screens showing these entries (at most a few times a second). */
export function bumpEntries(collectionId: string): void {
  dirty.add(collectionId);
  if (bumpTimer) return;
  bumpTimer = setTimeout(() => {
    bumpTimer = null;
    const versions = { ...useCollections.getState().versions };
    for (const id of dirty) versions[id] = (versions[id] ?? 0) + 1;
    dirty.clear();
    useCollections.setState({ versions });
  }, 250);
}

export interface EntriesView {
  entries: CollectionEntry[] | undefined;
  /** Changes whenever entries change (for memos). */
  version: number;
  error: unknown;
}

/** React hook: the entries of a collection, re-rendering as they are imported and indexed. */
export function useEntries(collectionId: string | undefined): EntriesView {
  const version = useCollections((s) => (collectionId ? (s.versions[collectionId] ?? 0) : 0));
  const [state, setState] = useState<{ id?: string; entries?: CollectionEntry[]; error?: unknown }>({});
  useEffect(() => {
    if (!collectionId) return;
    let live = true;
    entriesOf(collectionId).then(
      (entries) => live && setState({ id: collectionId, entries }),
      (error: unknown) => live && setState({ id: collectionId, error }),
    );
    return () => {
      live = false;
    };
  }, [collectionId]);
  const mine = state.id === collectionId;
  return { entries: mine ? state.entries : undefined, version, error: mine ? state.error : undefined };
}
