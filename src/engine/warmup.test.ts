import { describe, expect, it } from 'vitest';
import { checkOutput } from './warmup';

describe('checkOutput', () => {
  it('accepts finite non-zero output', () => {
    expect(checkOutput(new Float32Array([0, 0.5, -1]))).toBeNull();
  });
  it('rejects all zeros (fp16 model on a GPU without shader-f16)', () => {
    expect(checkOutput(new Float32Array(512))).toBe('all values are zero');
  });
  it('rejects NaN and infinity', () => {
    expect(checkOutput(new Float32Array([1, NaN]))).toBe('non-finite values');
    expect(checkOutput(new Float32Array([Infinity]))).toBe('non-finite values');
  });
  it('rejects empty output', () => {
    expect(checkOutput(new Float32Array(0))).toBe('empty output');
  });
});
