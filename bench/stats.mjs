/** Median and spread of a list of times (ms), rounded to 0.1 ms. */
export function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))];
  const r = (x) => Math.round(x * 10) / 10;
  return { n: s.length, median: r(q(0.5)), min: r(s[0]), max: r(s[s.length - 1]), p10: r(q(0.1)), p90: r(q(0.9)) };
}

/** Cosine similarity of two equal-length vectors. */
export function cosine(a, b) {
  let d = 0, x = 0, y = 0;
  for (let i = 0; i < a.length; i++) (d += a[i] * b[i]), (x += a[i] * a[i]), (y += b[i] * b[i]);
  return d / Math.sqrt(x * y);
}
