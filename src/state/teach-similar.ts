/**
 * Similar cases for the prepare step: for every case of a pack, the nearest photos of the
 * collections on this device indexed with the same model (bundle identity and variant), with their
 * true labels and thumbnails read now, so a reveal shows them without any work.
 */
import { topSimilar, type SimilarSource } from '../core/teach/similar';
import { getThumbnail } from '../storage/collections';
import { loadMatrix } from './collection-data';
import { useCollections, type CollectionEntry } from './collections';
import type { LoadedModel } from './model';

/** Similar photos shown per case. */
const SIMILAR_K = 4;

export interface SimilarCase {
  collectionName: string;
  name: string;
  /** The dataset's label (absent: unlabelled). */
  label?: string;
  score: number;
  thumbnail?: Blob;
}

/**
 * Per case id, its similar collection photos (none when no collection was indexed with this
 * model). `variant`: the one the cases were embedded with.
 */
export async function similarCases(model: LoadedModel, variant: string, cases: readonly { id: string; photoSha256: string; embedding: Float32Array }[]): Promise<Record<string, SimilarCase[]>> {
  await useCollections.getState().hydrate();
  const m = model.source.manifest;
  const sources: (SimilarSource<CollectionEntry> & { name: string })[] = [];
  for (const c of useCollections.getState().collections) {
    const matrix = await loadMatrix(c.id, m.id, variant, m.embedDim);
    if (matrix.rows.length) sources.push({ items: matrix.rows, images: matrix.images, dim: matrix.dim, name: c.name });
  }
  const nameOf = new Map(sources.flatMap((s) => s.items.map((e) => [e, s.name] as const)));
  const out: Record<string, SimilarCase[]> = {};
  for (const c of cases) {
    // The case's own photo, when it came from a collection, is not "similar".
    const hits = topSimilar(c.embedding, sources, SIMILAR_K, (e) => e.photoSha256 === c.photoSha256);
    out[c.id] = await Promise.all(
      hits.map(async (h) => ({
        collectionName: nameOf.get(h.item) ?? '',
        name: h.item.name,
        ...(h.item.label !== undefined ? { label: h.item.label } : {}),
        score: h.score,
        thumbnail: h.item.hasThumbnail ? await getThumbnail(h.item.collectionId, h.item.seq) : undefined,
      })),
    );
  }
  return out;
}
