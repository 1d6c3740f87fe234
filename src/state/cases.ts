/**
 * Open cases (zustand), mirrored to IndexedDB so they survive a reload. Decoded pixels are large
 * and kept outside the store, a few at a time, re-decoded from the saved photo when needed.
 */
import { create } from 'zustand';
import { sha256Hex } from '../core/cachekeys';
import { toAppError } from '../core/errors';
import type { CropRegion } from '../core/preprocess';
import { decodeForCase, decodePhoto, type DecodedPhoto } from '../media/decode';
import { quickKey } from '../media/quick-key';
import { enqueueFiles } from './intake';
import { notify, notifyError } from './notices';
import { deleteAllCases, deleteCase, listCases, saveCase, type CaseResult, type SavedCase } from '../storage/cases';
import { epochNow, isCurrentEpoch } from '../storage/epoch';

export type { CaseResult, SavedCase };

export interface CasesState {
  cases: SavedCase[];
  activeId: string | null;
  hydrated: boolean;
  hydrate(): Promise<void>;
  addFiles(files: File[]): Promise<void>;
  select(id: string): void;
  setCrop(id: string, crop: CropRegion | undefined): void;
  setResult(id: string, result: CaseResult): void;
  remove(id: string): Promise<void>;
  removeAll(): Promise<void>;
  /** Forget every open case without touching storage (all data was deleted, here or in another tab). */
  dropAll(): void;
}

const decoded = new Map<string, DecodedPhoto>();
const KEEP_DECODED = 3;

/** Working pixels of a case, decoding its saved photo again if they were dropped. */
export async function pixelsOf(c: SavedCase): Promise<DecodedPhoto> {
  let d = decoded.get(c.id);
  if (!d) {
    d = await decodePhoto(c.photo, c.name);
    remember(c.id, d);
  }
  return d;
}

function remember(id: string, d: DecodedPhoto) {
  decoded.delete(id);
  decoded.set(id, d);
  while (decoded.size > KEEP_DECODED) decoded.delete(decoded.keys().next().value!);
}


export const useCases = create<CasesState>((set, get) => {
  // `epoch`: the wipe epoch the case was made in (null: the tab's, when it is written). A case from
  // before a "delete all" is refused by storage; the tab is told and drops it (state/tabs.ts).
  // A save that finds the storage held by another tab (an upgrade, an old tab) is not dropped: the
  // latest version of each such case is saved again every few seconds until the storage answers.
  const unsaved = new Map<string, { epoch: number | null }>();
  let retry: ReturnType<typeof setTimeout> | null = null;
  let warned = false;
  let savedLate = false;
  const allSaved = () => {
    if (!warned || unsaved.size || retry) return;
    warned = false;
    // (None saved: they were closed, or all data was deleted, meanwhile.)
    if (savedLate) notify({ level: 'info', message: 'The storage answers again: the cases opened meanwhile are saved.' });
    savedLate = false;
  };
  const retryUnsaved = () => {
    retry = null;
    if (!unsaved.size) return allSaved();
    for (const [id, { epoch }] of [...unsaved]) {
      unsaved.delete(id);
      const now = get().cases.find((x) => x.id === id); // its latest version (closed: dropped)
      if (now) void persist(now, epoch);
    }
  };
  const persist = async (c: SavedCase, epoch: number | null = null): Promise<void> => {
    try {
      await saveCase(c, epoch);
    } catch (e) {
      const err = toAppError(e);
      if (err.code === 'data-deleted') return;
      if (err.code !== 'storage-unavailable') return notifyError(e, 'warning');
      if (!warned) notify({ level: 'warning', message: `The case "${c.name}" is not saved yet: ${err.message}`, hint: 'It stays open here and is saved by itself as soon as the storage answers again: keep this page open until then.' });
      warned = true;
      unsaved.set(c.id, { epoch });
      retry ??= setTimeout(retryUnsaved, 3000);
      return;
    }
    unsaved.delete(c.id); // an older version waiting for a retry must not overwrite this one
    savedLate ||= warned;
    allSaved();
  };
  const patch = (id: string, p: Partial<SavedCase>) => {
    const c = get().cases.find((x) => x.id === id);
    if (!c) return;
    const next = { ...c, ...p };
    set({ cases: get().cases.map((x) => (x.id === id ? next : x)) });
    void persist(next);
  };

  /** A new case for `file` that reuses `of`'s decode, display copies and result; shown at once. */
  const showCopy = (of: SavedCase, file: File, name: string, photoQuickKey: string, activate: boolean): string => {
    const c: SavedCase = { ...of, id: crypto.randomUUID(), name, createdAt: Date.now(), photo: file, photoQuickKey, crop: undefined };
    const d = decoded.get(of.id);
    if (d) remember(c.id, d);
    set({ cases: [...get().cases, c], activeId: activate ? c.id : get().activeId });
    return c.id;
  };

  /**
   * Opens one photo as a case (`activate`: show it). A probable repeat shows the earlier case's
   * result at once and is confirmed by the full sha256. Returns false when it was refused.
   */
  const addOne = async (file: File, activate: boolean): Promise<boolean> => {
    let shown: string | null = null;
    const epoch = await epochNow();
    // All data was deleted while this photo was being read: it belongs to what was deleted.
    const wiped = () => epoch !== null && !isCurrentEpoch(epoch);
    try {
      const name = file.name || `Photo ${new Date().toLocaleString()}`;
      const photoQuickKey = await quickKey(file, sha256Hex);
      if (wiped()) return false;
      // Probably the same photo again: show that case's decode, thumbnail, preview and result at
      // once, then confirm with the full sha256 (below) before the case is saved.
      const probable = get().cases.find((x) => x.photoQuickKey === photoQuickKey && !x.crop);
      if (probable) {
        shown = showCopy(probable, file, name, photoQuickKey, activate);
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const photoSha256 = await sha256Hex(bytes);
      if (wiped()) return false;
      if (shown && photoSha256 === probable!.photoSha256) {
        await persist(get().cases.find((x) => x.id === shown)!, epoch);
        return true;
      }
      // The same bytes as a case saved before quick keys existed: reuse it too.
      const twin = shown ? undefined : get().cases.find((x) => x.photoSha256 === photoSha256 && !x.crop);
      if (twin) {
        const id = showCopy(twin, file, name, photoQuickKey, activate);
        await persist(get().cases.find((x) => x.id === id)!, epoch);
        return true;
      }
      const { photo: d, copies } = await decodeForCase(file, file.name || 'pasted photo');
      const c: SavedCase = {
        id: shown ?? crypto.randomUUID(),
        name,
        createdAt: Date.now(),
        photo: file,
        photoSha256,
        photoQuickKey,
        ...copies,
        width: d.width,
        height: d.height,
      };
      if (wiped()) return false;
      remember(c.id, d);
      // A probable repeat that was not one after all becomes the new photo it is, in place.
      if (shown) set({ cases: get().cases.map((x) => (x.id === shown ? c : x)) });
      else set({ cases: [...get().cases, c], activeId: activate ? c.id : get().activeId });
      await persist(c, epoch);
      return true;
    } catch (e) {
      if (wiped()) return false;
      if (shown) await get().remove(shown).catch(() => undefined);
      notifyError(e);
      return false;
    }
  };

  return {
    cases: [],
    activeId: null,
    hydrated: false,
    async hydrate() {
      try {
        const saved = await listCases();
        // Cases opened while storage was not answering stay, after the saved ones.
        const ids = new Set(saved.map((c) => c.id));
        const cases = [...saved, ...get().cases.filter((c) => !ids.has(c.id))];
        set({ cases, activeId: get().activeId ?? cases.at(-1)?.id ?? null, hydrated: true });
      } catch (e) {
        const err = toAppError(e);
        const again = get().hydrated;
        set({ hydrated: true });
        if (!again) notify({ level: 'warning', message: `Saved cases could not be read: ${err.message}`, hint: err.code === 'storage-unavailable' ? 'They appear here as soon as the storage answers again.' : err.hint });
        // Held by another tab: try again until it lets go.
        if (err.code === 'storage-unavailable') setTimeout(() => void get().hydrate(), 5000);
      }
    },
    // Queued (state/intake.ts): one photo at a time with progress; of several photos dropped
    // together the first one opened is shown, the others open as tabs.
    async addFiles(files) {
      let shownOne = false;
      await enqueueFiles(files, async (file) => {
        const ok = await addOne(file, !shownOne);
        shownOne ||= ok;
        return ok;
      });
    },
    select: (id) => set({ activeId: id }),
    setCrop: (id, crop) => patch(id, { crop, result: undefined }),
    setResult: (id, result) => patch(id, { result }),
    async remove(id) {
      decoded.delete(id);
      const rest = get().cases.filter((c) => c.id !== id);
      set({ cases: rest, activeId: get().activeId === id ? (rest.at(-1)?.id ?? null) : get().activeId });
      await deleteCase(id);
    },
    async removeAll() {
      get().dropAll();
      await deleteAllCases();
    },
    dropAll() {
      decoded.clear();
      set({ cases: [], activeId: null });
    },
  };
});
