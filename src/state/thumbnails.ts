/**
 * Gallery thumbnails as object URLs, read from IndexedDB when a cell scrolls into view and kept
 * in a small least-recently-used cache, so scrolling 10,000 photos holds a few hundred small
 * images at most. A URL is revoked only when it leaves the cache and no mounted thumbnail holds
 * it (core/ref-lru.ts): an <img> on screen never loses its URL.
 */
import { useEffect, useState } from 'react';
import { RefLru } from '../core/ref-lru';
import { getThumbnail } from '../storage/collections';
import { debugEnabled } from './debug';

/** URLs kept (?debug=1&thumbKeep=n on the page's first URL sets it: tests evict with a small collection). */
const KEEP = (typeof location !== 'undefined' && debugEnabled() ? Number(new URLSearchParams(location.search).get('thumbKeep')) : 0) || 600;
const urls = new RefLru<string>(KEEP, (u) => URL.revokeObjectURL(u));
const loading = new Map<string, Promise<string | null>>();

/** The thumbnail's object URL (null: none stored yet). */
export function thumbnailUrl(collectionId: string, seq: number): Promise<string | null> {
  const key = `${collectionId}#${seq}`;
  const hit = urls.get(key);
  if (hit) return Promise.resolve(hit);
  let p = loading.get(key);
  if (!p) {
    p = getThumbnail(collectionId, seq)
      .then((b) => {
        if (!b) return null;
        const u = URL.createObjectURL(b);
        urls.set(key, u);
        return u;
      })
      .catch(() => null)
      .finally(() => loading.delete(key));
    loading.set(key, p);
  }
  return p;
}

/** React hook: a thumbnail URL, re-read when `hasThumbnail` turns true; held while mounted. */
export function useThumbnailUrl(collectionId: string, seq: number, hasThumbnail: boolean): string | null {
  const key = `${collectionId}#${seq}`;
  const [url, setUrl] = useState<{ key: string; url: string | null } | null>(() => (urls.has(key) ? { key, url: urls.get(key)! } : null));
  useEffect(() => {
    urls.hold(key);
    return () => urls.release(key);
  }, [key]);
  useEffect(() => {
    if (!hasThumbnail) return;
    let live = true;
    void thumbnailUrl(collectionId, seq).then((u) => live && setUrl({ key, url: u }));
    return () => {
      live = false;
    };
  }, [collectionId, seq, key, hasThumbnail]);
  return url?.key === key ? url.url : null;
}
