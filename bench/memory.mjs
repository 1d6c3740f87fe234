/**
 * Samples the proportional set size (PSS) of every Chromium process started by this Node process
 * (the browser's whole tree: browser, renderers, GPU, utility), summed, from
 * /proc/<pid>/smaps_rollup. PSS splits shared pages fairly, so the sum does not double count.
 */
import { readFileSync, readdirSync } from 'node:fs';

function children() {
  const byParent = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!byParent.has(ppid)) byParent.set(ppid, []);
      byParent.get(ppid).push(Number(d));
    } catch {
      /* gone */
    }
  }
  return byParent;
}

/** Sum of PSS (bytes) of all chromium descendants of `root`. */
export function chromiumPss(root = process.pid) {
  const byParent = children();
  let total = 0;
  let count = 0;
  const stack = [...(byParent.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop();
    stack.push(...(byParent.get(pid) ?? []));
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!/chrom/i.test(cmd.split('\0')[0])) continue;
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (m) (total += Number(m[1]) * 1024), count++;
    } catch {
      /* gone */
    }
  }
  return { bytes: total, processes: count };
}

/** Samples every `ms`; `phase(name)` starts attributing peaks to a named phase. */
export function startSampler(ms = 250) {
  const peaks = {};
  let phase = 'idle';
  const tick = () => {
    const { bytes, processes } = chromiumPss();
    const p = peaks[phase];
    if (!p || bytes > p.bytes) peaks[phase] = { bytes, processes };
  };
  const timer = setInterval(tick, ms);
  return {
    phase(name) {
      tick();
      phase = name;
      tick();
    },
    /** The peak of one phase so far ({ bytes, processes }), or null. */
    peak(name) {
      tick();
      return peaks[name] ?? null;
    },
    stop() {
      clearInterval(timer);
      tick();
      return peaks;
    },
  };
}
