/**
 * What a collection is (ARCHITECTURE.md, "Collections"): a list of photo entries (name, sha256 of
 * the bytes, the dataset's label and metadata columns, a thumbnail, and the photo itself or a
 * handle to it) in IndexedDB; image embeddings live in the shared embedding cache, keyed by
 * bundle, variant and the sha256 of the preprocessed tensor, which each entry records per bundle.
 */
import type { SkippedFile } from './import-plan';
import type { MappingOverrides } from './mapping';

/** Where the photos are kept: copied into the browser, a file handle (the photo stays on disk), or not at all. */
export type PhotoStorage = 'blob' | 'handle' | 'none';

export type CollectionSource = 'folder' | 'zip' | 'files' | 'linked-folder' | 'export';

export type LabelSourceInfo =
  | { kind: 'csv'; file: string; idColumn: string; labelColumn: string; dataset?: string }
  | { kind: 'folders' }
  | { kind: 'none' };

export interface MappingChoice {
  /** A built-in label set id, 'dataset' (the dataset's own labels) or 'custom'. */
  labelSetId: string;
  /** The user's class list, when labelSetId is 'custom'. */
  customText?: string;
  /** Per class list id: the user's mapping decisions on top of the automatic ones. */
  overrides: Record<string, MappingOverrides>;
}

export interface CollectionMeta {
  id: string;
  name: string;
  createdAt: number;
  source: CollectionSource;
  photoStorage: PhotoStorage;
  labelSource: LabelSourceInfo;
  metadataColumns: string[];
  /** Distinct dataset labels with their photo counts. */
  labels: { label: string; count: number }[];
  mapping: MappingChoice;
  /** Files left out, each with its reason (the first MAX_LISTED_SKIPPED). */
  skipped: SkippedFile[];
  skippedCount: number;
  /** What the label file said about the photos (rows without a photo, photos without a row...). */
  labelNotes: string[];
  /** Entries (photos) in the collection. */
  count: number;
  /** False while photos are still being copied in (an interrupted import says so). */
  imported: boolean;
  /** What the user last asked of the indexer: a reload resumes a running index. */
  indexing: 'running' | 'paused';
}

export const MAX_LISTED_SKIPPED = 1000;

export interface CollectionEntry {
  collectionId: string;
  /** Position in the collection, 0-based; with collectionId, the entry's key. */
  seq: number;
  /** Path inside what was picked ('/'-separated). */
  path: string;
  name: string;
  bytes: number;
  photoSha256: string;
  /** The dataset's label, as written (absent: unlabelled). */
  label?: string;
  metadata: Record<string, string>;
  /** Oriented size, known once the photo has been decoded. */
  width?: number;
  height?: number;
  hasThumbnail: boolean;
  /** Per bundle id: sha256 of the preprocessed tensor (the embedding cache key). */
  tensors: Record<string, string>;
  /** `${bundleId}/${variant}` whose embedding of this photo is in the embedding cache. */
  embedded: string[];
  /** Why the photo could not be read when it was indexed (then it is skipped). */
  problem?: string;
}

/** The embedding-cache name of one model: bundle id and variant. */
export function embeddingModelKey(bundleId: string, variant: string): string {
  return `${bundleId}/${variant}`;
}
