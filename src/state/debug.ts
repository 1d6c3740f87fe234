/**
 * Diagnostics and benchmark hooks (load timings, encoder timing loops, simulating a lost GPU) are
 * there only when the page was opened with `?debug=1` (the benchmarks and tests do). Read once
 * from the URL of this page load; never stored.
 */
let enabled: boolean | null = null;

export function debugEnabled(): boolean {
  if (enabled === null) enabled = typeof location !== 'undefined' && new URLSearchParams(location.search).get('debug') === '1';
  return enabled;
}
