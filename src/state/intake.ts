/**
 * The photo intake queue: files dropped, pasted or chosen are opened one at a time in arrival
 * order (a second drop while a first is being opened joins the same queue), with the progress on
 * screen ("3 of 30") and a pause between files so that the page keeps answering clicks and paints
 * while 100 photos open. Opening a photo does not need the model: a drop while it still loads is
 * queued and opened the same way, and each case is analysed once the model is ready.
 */
import { create } from 'zustand';

export interface IntakeState {
  /** Files in this run (the queue is a run from the first file until it is empty again). */
  total: number;
  /** Files finished (opened or refused). */
  done: number;
  /** Files refused (each with its own notice). */
  failed: number;
  /** Name of the file being opened. */
  current: string | null;
}

export const useIntake = create<IntakeState>(() => ({ total: 0, done: 0, failed: 0, current: null }));

let tail: Promise<void> = Promise.resolve();

/** A macrotask break: lets the browser handle input and paint between two photos. */
const breathe = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Queues `files`; `open` opens one and says whether it worked (it reports its own errors).
 * Resolves when these files are done.
 */
export function enqueueFiles(files: File[], open: (file: File) => Promise<boolean>): Promise<void> {
  if (!files.length) return tail;
  const s = useIntake.getState();
  const idle = s.done >= s.total;
  useIntake.setState(idle ? { total: files.length, done: 0, failed: 0 } : { total: s.total + files.length });
  const run = tail.then(async () => {
    for (const file of files) {
      useIntake.setState({ current: file.name || 'pasted photo' });
      // `open` reports its own errors; one that escapes counts as a refusal and the queue goes on.
      const ok = await open(file).catch(() => false);
      const now = useIntake.getState();
      useIntake.setState({ done: now.done + 1, failed: now.failed + (ok ? 0 : 1), current: null });
      await breathe();
    }
  });
  tail = run;
  return run;
}
