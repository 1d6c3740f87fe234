import { describe, expect, it } from 'vitest';
import { isBundleUrl, parseUrlOverrides } from './url-overrides';

const parse = (search: string) => parseUrlOverrides(new URLSearchParams(search));

describe('link settings', () => {
  it('applies known values', () => {
    expect(parse('?backend=wasm&variant=fp32&threads=2&bundle=/models/demo-tiny')).toEqual({
      values: { backend: 'wasm', variant: 'fp32', numThreads: 2, bundleUrl: '/models/demo-tiny' },
      ignored: [],
    });
    expect(parse('?backend=auto&variant=auto&threads=0&bundle=imported:my-model.v2').values).toEqual({ backend: 'auto', variant: 'auto', numThreads: 0, bundleUrl: 'imported:my-model.v2' });
    // Other parameters (debug=1) are not this module's business.
    expect(parse('?debug=1')).toEqual({ values: {}, ignored: [] });
  });

  it('ignores unknown or unsafe values, naming parameter, value and reason', () => {
    const r = parse('?backend=cuda&variant=fp64&threads=-1&bundle=https://evil.example/x');
    expect(r.values).toEqual({});
    expect(r.ignored).toEqual([
      { param: 'backend', value: 'cuda', reason: 'not one of auto, webgpu, wasm' },
      { param: 'variant', value: 'fp64', reason: 'not one of auto, fp32, fp16, int8, q4' },
      { param: 'threads', value: '-1', reason: 'not a whole number from 0 (automatic) to 64' },
      { param: 'bundle', value: 'https://evil.example/x', reason: expect.stringContaining('not a model of this app') },
    ]);
    for (const t of ['65', '1e3', '2.5', '', ' 2', '999999999999']) expect(parse(`?threads=${encodeURIComponent(t)}`).ignored).toHaveLength(1);
    for (const b of ['/models/../secret', '/models/a/../../x', '//evil.example/models/x', 'javascript:alert(1)', '/models/<script>', 'imported:', '/models/A']) {
      expect(isBundleUrl(b), b).toBe(false);
    }
    // Markup and control characters are shown harmlessly, and long values are cut.
    const [m] = parse(`?backend=${encodeURIComponent('<img src=x onerror=alert(1)>\u202e' + 'x'.repeat(100))}`).ignored;
    expect(m.value.startsWith('<img src=x onerror=alert(1)>\uFFFD')).toBe(true);
    expect(m.value.length).toBeLessThanOrEqual(58);
  });
});
