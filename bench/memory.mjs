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

/** Chromium's process kind from its command line: browser, renderer, gpu-process, utility (with its service), zygote. */
function kindOf(argv) {
  const type = argv.find((a) => a.startsWith('--type='))?.slice(7);
  if (!type) return 'browser';
  if (type === 'utility') return `utility:${(argv.find((a) => a.startsWith('--utility-sub-type=')) ?? '').split('.').pop() || '?'}`;
  return type;
}

/** Sum of PSS (bytes) of all chromium descendants of `root`, and per kind of process (`byKind`, bytes). */
export function chromiumPss(root = process.pid) {
  const byParent = children();
  let total = 0;
  let count = 0;
  const byKind = {};
  const stack = [...(byParent.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop();
    stack.push(...(byParent.get(pid) ?? []));
    try {
      // Chromium's children rewrite their command line as one space-separated string (setproctitle)
      const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '');
      const argv = raw.includes('\0') ? raw.split('\0') : raw.split(' ');
      if (!/chrom/i.test(argv[0])) continue;
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (!m) continue;
      const b = Number(m[1]) * 1024;
      total += b;
      count++;
      const k = kindOf(argv);
      byKind[k] = (byKind[k] ?? 0) + b;
    } catch {
      /* gone */
    }
  }
  return { bytes: total, processes: count, byKind };
}

/**
 * Samples every `ms`; `phase(name)` starts attributing peaks to a named phase. A peak is
 * { bytes, processes, byKind (that moment's split by kind of process), maxByKind (each kind's own
 * peak over the phase) }. With `trace` (a function), every sample is also handed to it.
 */
export function startSampler(ms = 250, trace = null) {
  const peaks = {};
  let phase = 'idle';
  const t0 = Date.now();
  const tick = () => {
    const { bytes, processes, byKind } = chromiumPss();
    trace?.({ t: Date.now() - t0, phase, bytes, byKind });
    const p = peaks[phase];
    const maxByKind = { ...(p?.maxByKind ?? {}) };
    for (const [k, b] of Object.entries(byKind)) maxByKind[k] = Math.max(maxByKind[k] ?? 0, b);
    peaks[phase] = !p || bytes > p.bytes ? { bytes, processes, byKind, maxByKind } : { ...p, maxByKind };
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
