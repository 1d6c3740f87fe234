/**
 * The collection being set up (between picking files and importing them): what was picked, where
 * its labels come from, how they map to a class list, and its name. Kept in a store so the
 * import screen has it after navigating there; dropped once the import starts.
 */
import { create } from 'zustand';
import { defaultCollectionName } from '../core/collections/import-plan';
import type { MappingChoice } from '../core/collections/types';
import { toAppError } from '../core/errors';
import { defaultLabelChoice, importCollection, labelPlan, type LabelChoice, type LabelPlan } from './collection-import';
import { pickFolderToLink, scanFiles, type ScannedSource } from './collection-sources';
import { notifyError } from './notices';

interface Draft {
  source: ScannedSource;
  labels: LabelChoice;
  plan: LabelPlan;
  mapping: MappingChoice;
  name: string;
}

interface DraftState {
  draft: Draft | null;
  scanning: boolean;
  error: string | null;
}

export const useImportDraft = create<DraftState>(() => ({ draft: null, scanning: false, error: null }));

function draftOf(source: ScannedSource): Draft {
  const labels = defaultLabelChoice(source);
  const plan = labelPlan(source, labels);
  const csv = labels.kind === 'csv' ? labels : null;
  const dataset = csv ? plan.info.kind === 'csv' && plan.info.dataset : undefined;
  // HAM10000 and ISIC photos are judged against the HAM10000 class list by default; anything else against its own labels.
  const labelSetId = dataset === 'HAM10000' || dataset === 'ISIC archive' ? 'preset:ham' : dataset === 'PAD-UFES-20' ? 'preset:pad' : 'dataset';
  return { source, labels, plan, mapping: { labelSetId, overrides: {} }, name: defaultCollectionName(source.name, new Date()) };
}

async function scan(run: () => Promise<ScannedSource | null>): Promise<boolean> {
  useImportDraft.setState({ scanning: true, error: null });
  try {
    const source = await run();
    if (!source) {
      useImportDraft.setState({ scanning: false });
      return false;
    }
    useImportDraft.setState({ draft: draftOf(source), scanning: false });
    return true;
  } catch (e) {
    const err = toAppError(e);
    useImportDraft.setState({ scanning: false, error: `${err.message}${err.hint ? ` ${err.hint}` : ''}` });
    return false;
  }
}

/** Files from a folder input, a file input (many photos) or one .zip. */
export const draftFromFiles = (files: File[]) => scan(() => scanFiles(files));
/** A folder linked through the File System Access API (photos stay on disk). */
export const draftFromLinkedFolder = () => scan(pickFolderToLink);

export function setDraftLabels(labels: LabelChoice): void {
  const d = useImportDraft.getState().draft;
  if (d) useImportDraft.setState({ draft: { ...d, labels, plan: labelPlan(d.source, labels) } });
}

export function setDraft(p: Partial<Pick<Draft, 'mapping' | 'name'>>): void {
  const d = useImportDraft.getState().draft;
  if (d) useImportDraft.setState({ draft: { ...d, ...p } });
}

export function discardDraft(): void {
  useImportDraft.setState({ draft: null, error: null });
}

/** Start importing the draft; returns the new collection's id. */
export async function importDraft(): Promise<string | null> {
  const d = useImportDraft.getState().draft;
  if (!d) return null;
  try {
    const id = await importCollection(d.source, d.plan, d.name.trim() || defaultCollectionName(d.source.name, new Date()), d.mapping);
    discardDraft();
    return id;
  } catch (e) {
    notifyError(e);
    return null;
  }
}
