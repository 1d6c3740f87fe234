import { useThumbnailUrl } from '../../state/thumbnails';
import type { CollectionEntry } from '../../state/collections';

/** A photo's gallery thumbnail (a placeholder until indexing has made it). */
export function Thumb({ entry, size = 112 }: { entry: CollectionEntry; size?: number }) {
  const url = useThumbnailUrl(entry.collectionId, entry.seq, entry.hasThumbnail);
  if (!url) return <span className="thumb-placeholder" style={{ width: size, height: size }} aria-hidden="true" />;
  return <img src={url} alt="" width={size} height={size} className="thumb" loading="lazy" decoding="async" />;
}
