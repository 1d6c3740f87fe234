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
  const persist = (c: SavedCase) =>
    saveCase(c).catch((e: unknown) => notifyError(e, 'warning'));
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
    try {
      const name = file.name || `Photo ${new Date().toLocaleString()}`;
      const photoQuickKey = await quickKey(file, sha256Hex);
      // Probably the same photo again: show that case's decode, thumbnail, preview and result at
      // once, then confirm with the full sha256 (below) before the case is saved.
      const probable = get().cases.find((x) => x.photoQuickKey === photoQuickKey && !x.crop);
      if (probable) {
        shown = showCopy(probable, file, name, photoQuickKey, activate);
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const photoSha256 = await sha256Hex(bytes);
      if (shown && photoSha256 === probable!.photoSha256) {
        await persist(get().cases.find((x) => x.id === shown)!);
        return true;
      }
      // The same bytes as a case saved before quick keys existed: reuse it too.
      const twin = shown ? undefined : get().cases.find((x) => x.photoSha256 === photoSha256 && !x.crop);
      if (twin) {
        const id = showCopy(twin, file, name, photoQuickKey, activate);
        await persist(get().cases.find((x) => x.id === id)!);
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
      remember(c.id, d);
      // A probable repeat that was not one after all becomes the new photo it is, in place.
      if (shown) set({ cases: get().cases.map((x) => (x.id === shown ? c : x)) });
      else set({ cases: [...get().cases, c], activeId: activate ? c.id : get().activeId });
      await persist(c);
      return true;
    } catch (e) {
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
        // Photos dropped before the saved cases were read stay open after them.
        const added = get().cases.filter((c) => !saved.some((x) => x.id === c.id));
        set({ cases: [...saved, ...added], activeId: get().activeId ?? saved.at(-1)?.id ?? null, hydrated: true });
      } catch (e) {
        set({ hydrated: true });
        notify({ level: 'warning', message: `Saved cases could not be read: ${toAppError(e).message}` });
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
      decoded.clear();
      set({ cases: [], activeId: null });
      await deleteAllCases();
    },
  };
});
