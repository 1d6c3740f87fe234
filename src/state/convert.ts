/**
 * "Use the real DermLIP weights": the state of the conversion the screen shows (one at a time),
 * its start, cancel and discard, and its resumption after a reload: a conversion that reached its
 * prompt table goes on by itself; one interrupted while writing the weights needs the same
 * checkpoint picked again (its finished files are kept and skipped).
 */
import { create } from 'zustand';
import { toWireError, type WireError } from '../core/errors';
import { discardConversion, readRecord, type ConversionRecord } from '../storage/convert-store';
import { resumePrompts, runConversion, type ConvertStatus } from './convert-run';
import { notify } from './notices';

export type { ConvertStatus };

export interface PendingConversion {
  bundleId: string;
  file: string;
  stage: ConversionRecord['stage'];
  batchesDone: number;
}

interface ConvertState {
  running: boolean;
  status: ConvertStatus | null;
  result: { ok: true; baseUrl: string } | { ok: false; error: WireError } | null;
  /** A conversion kept from before a reload, if any. */
  pending: PendingConversion | null;
}

export const useConvert = create<ConvertState>(() => ({ running: false, status: null, result: null, pending: null }));

let abort: AbortController | null = null;

const summary = (r: ConversionRecord | undefined): PendingConversion | null =>
  r ? { bundleId: r.bundleId, file: r.checkpoint.file, stage: r.stage, batchesDone: r.batchesDone.length } : null;

async function run(work: (signal: AbortSignal) => Promise<string>): Promise<void> {
  if (useConvert.getState().running) return;
  abort = new AbortController();
  useConvert.setState({ running: true, status: null, result: null });
  try {
    const baseUrl = await work(abort.signal);
    useConvert.setState({ result: { ok: true, baseUrl }, pending: null });
    notify({ level: 'info', message: 'The real DermLIP weights are converted and selected: predictions now come from the real model.' });
  } catch (e) {
    const error = abort.signal.aborted ? { code: 'input-invalid' as const, message: 'The conversion was cancelled.' } : toWireError(e);
    useConvert.setState({ result: { ok: false, error }, pending: summary(await readRecord().catch(() => undefined)) });
  } finally {
    abort = null;
    useConvert.setState({ running: false, status: null });
  }
}

/** Convert the picked checkpoint and config (both picked at once, or dropped together). */
export function startConversion(files: File[]): Promise<void> {
  return run((signal) => runConversion(files, (s) => useConvert.setState({ status: s }), signal));
}

let checked: Promise<void> | null = null;

/** At start: a conversion kept from before a reload is shown; one at its prompt table resumes at once. */
export function checkPendingConversion(): Promise<void> {
  checked ??= (async () => {
    const r = await readRecord().catch(() => undefined);
    useConvert.setState({ pending: summary(r) });
    if (r?.stage === 'prompts') await resumeConversion();
  })();
  return checked;
}

/** Go on with a kept conversion that reached its prompt table (after a reload, or after a failure). */
export async function resumeConversion(): Promise<void> {
  const r = await readRecord().catch(() => undefined);
  if (r?.stage !== 'prompts') return;
  await run((signal) => resumePrompts(r, (s) => useConvert.setState({ status: s }), signal));
}

export function cancelConversion(): void {
  abort?.abort();
}

/** Forget a kept conversion and every file it wrote. */
export async function discardPendingConversion(): Promise<void> {
  const p = useConvert.getState().pending;
  await discardConversion(p?.bundleId ?? null);
  useConvert.setState({ pending: null, result: null });
}
