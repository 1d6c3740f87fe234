/**
 * Canvases used to decode and resize photos. A canvas's pixel buffer (12 MB for a 2000 x 1500
 * working copy) is freed only when the canvas is collected, and the photo worker sits idle for up
 * to 30 s between photos without collecting: after one 12 MP photo it held ~32 MB of canvases it
 * no longer used (BENCHMARKS.md, attempt 31). Shrinking a canvas to 0 x 0 frees its buffer at once.
 */

/** The pixels of a finished canvas are freed now (the canvas stays valid, 0 x 0). */
export function releaseCanvas(...canvases: (OffscreenCanvas | null | undefined)[]): void {
  for (const c of canvases) {
    if (!c) continue;
    c.width = 0;
    c.height = 0;
  }
}

