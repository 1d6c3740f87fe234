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

/** The kind of a Chromium process from its command line: browser, renderer, gpu, utility:<sub-type>, zygote... */
function kindOf(args) {
  const type = args.find((a) => a.startsWith('--type='))?.slice(7);
  if (!type) return /crashpad/.test(args[0]) ? 'crashpad' : 'browser';
  if (type === 'gpu-process') return 'gpu';
  if (type === 'utility') return `utility:${(args.find((a) => a.startsWith('--utility-sub-type='))?.slice(19) ?? '?').replace(/\.mojom\..*$/, '')}`;
  return type;
}

const KB = (text, field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;

/**
 * Every Chromium descendant of `root` with its kind and PSS (bytes): total, anonymous (heaps, the
 * WASM memory), file-backed (the binary, fonts) and shared memory (buffers shared between processes).
 */
export function chromiumProcesses(root = process.pid) {
  const byParent = children();
  const out = [];
  const stack = [...(byParent.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop();
    stack.push(...(byParent.get(pid) ?? []));
    try {
      // Chromium rewrites its process title: the arguments may be one space-separated string
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
      if (!/chrom/i.test(args[0])) continue;
      const r = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      out.push({ pid, kind: kindOf(args), pss: KB(r, 'Pss'), anon: KB(r, 'Pss_Anon'), file: KB(r, 'Pss_File'), shmem: KB(r, 'Pss_Shmem') });
    } catch {
      /* gone */
    }
  }
  return out;
}

/** Sum of PSS (bytes) of all chromium descendants of `root`. */
export function chromiumPss(root = process.pid) {
  const list = chromiumProcesses(root);
  return { bytes: list.reduce((a, p) => a + p.pss, 0), processes: list.length };
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
    const list = chromiumProcesses();
    const bytes = list.reduce((a, x) => a + x.pss, 0);
    // that moment's split by process kind (renderer, gpu, browser, utility:...), bytes
    const byKind = {};
    for (const x of list) byKind[x.kind] = (byKind[x.kind] ?? 0) + x.pss;
    trace?.({ t: Date.now() - t0, phase, bytes, byKind });
    const p = peaks[phase];
    const maxByKind = { ...(p?.maxByKind ?? {}) };
    for (const [k, b] of Object.entries(byKind)) maxByKind[k] = Math.max(maxByKind[k] ?? 0, b);
    peaks[phase] = !p || bytes > p.bytes ? { bytes, processes: list.length, byKind, maxByKind } : { ...p, maxByKind };
  };
  const timer = setInterval(tick, ms);
  return {
    phase(name) {
      tick();
      phase = name;
      tick();
    },
    /** The peak of one phase so far ({ bytes, processes, byKind, maxByKind }), or null. */
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
