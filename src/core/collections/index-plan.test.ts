import { describe, expect, it } from 'vitest';
import { INDEX_BATCH, indexPlan } from './index-plan';

describe('indexPlan', () => {
  it('overlaps decoding with the encoder when a core is left over', () => {
    expect(indexPlan(8, 4)).toEqual({ batch: INDEX_BATCH, ahead: 2 * INDEX_BATCH, overlap: true });
    expect(indexPlan(2, 0)).toEqual({ batch: INDEX_BATCH, ahead: 2 * INDEX_BATCH, overlap: true }); // WebGPU: the encoder leaves the cores free
  });

  it('decodes between model runs when the WASM threads take every core', () => {
    expect(indexPlan(2, 2)).toEqual({ batch: INDEX_BATCH, ahead: INDEX_BATCH, overlap: false });
    expect(indexPlan(4, 4).overlap).toBe(false);
  });

  it('takes overrides (debug URL parameters), ignoring a batch that is not positive', () => {
    expect(indexPlan(2, 2, { batch: 1, overlap: true })).toEqual({ batch: 1, ahead: 2, overlap: true });
    expect(indexPlan(8, 2, { batch: 0 }).batch).toBe(INDEX_BATCH);
    expect(indexPlan(8, 2, { overlap: false }).ahead).toBe(INDEX_BATCH);
  });
});
