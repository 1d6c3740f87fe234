import { describe, expect, it } from 'vitest';
import { INDEX_BATCH, indexPlan } from './index-plan';

describe('indexPlan', () => {
  it('by default decodes a batch ahead while the encoder runs', () => {
    expect(indexPlan()).toEqual({ batch: INDEX_BATCH, ahead: 2 * INDEX_BATCH, overlap: true });
  });

  it('without overlap, decodes one batch at a time', () => {
    expect(indexPlan({ overlap: false })).toEqual({ batch: INDEX_BATCH, ahead: INDEX_BATCH, overlap: false });
  });

  it('takes a batch size, ignoring one that is not positive', () => {
    expect(indexPlan({ batch: 1 })).toEqual({ batch: 1, ahead: 2, overlap: true });
    expect(indexPlan({ batch: 0 }).batch).toBe(INDEX_BATCH);
    expect(indexPlan({ batch: 2.7 }).batch).toBe(2);
  });
});
