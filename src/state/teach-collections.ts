/**
 * Collection photos for the pack maker: each photo's prefilled answer (its true label mapped onto
 * the ontology's leaves with the collection's own mapping decisions for that list) and its bytes
 * exactly as they were imported.
 */
import { useMemo } from 'react';
import { collectionPrefill, leafOfLabels, type Prefill } from '../core/teach/draft';
import { AppError } from '../core/errors';
import { getPhoto } from '../storage/collections';
import { mappingFor } from './collection-data';
import type { CollectionEntry, CollectionMeta } from './collections';
import { LEAF_LABELS, LEAF_SET } from './teach';

export type { Prefill };

/** entry -> its prefilled answer, source and license, for one collection. */
export function useCollectionPrefill(meta: CollectionMeta | undefined): (e: CollectionEntry) => Prefill {
  return useMemo(() => {
    const toLeaf = meta ? leafOfLabels(mappingFor(meta, LEAF_SET).toClass, LEAF_LABELS) : new Map<string, string>();
    return (e: CollectionEntry) => collectionPrefill(e, meta?.name ?? '', toLeaf);
  }, [meta]);
}

/** The photo's bytes as imported (a copy in the browser, or the linked file itself). */
export async function collectionPhoto(e: CollectionEntry, collectionName: string): Promise<Blob> {
  const p = await getPhoto(e.collectionId, e.seq);
  if (!p) throw new AppError('input-invalid', `“${e.name}” cannot go into a pack: the collection “${collectionName}” keeps thumbnails only, not the photo.`, 'Import the photos again as copies, or choose another photo.');
  try {
    return p instanceof Blob ? p : await p.getFile();
  } catch (err) {
    throw new AppError('input-invalid', `“${e.name}” cannot go into a pack: its file in the linked folder could not be read (${(err as Error).message}).`, 'Open the collection and allow access to its folder again, then save the pack.');
  }
}
