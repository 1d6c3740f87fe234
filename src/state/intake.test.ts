import { describe, expect, it } from 'vitest';
import { enqueueFiles, useIntake } from './intake';

const file = (name: string) => new File([new Uint8Array([1])], name);

describe('enqueueFiles', () => {
  it('opens files one at a time in order, counting progress and refusals', async () => {
    const order: string[] = [];
    const snapshots: string[] = [];
    let running = 0;
    const open = async (f: File) => {
      running++;
      expect(running).toBe(1); // never two at once
      snapshots.push(`${useIntake.getState().done + 1} of ${useIntake.getState().total}: ${useIntake.getState().current}`);
      await new Promise((r) => setTimeout(r, 2));
      order.push(f.name);
      running--;
      return !f.name.startsWith('bad');
    };
    const first = enqueueFiles([file('a.jpg'), file('bad.pdf'), file('c.jpg')], open);
    // A second drop while the first is still opening joins the same run.
    const second = enqueueFiles([file('d.jpg')], open);
    await Promise.all([first, second]);
    expect(order).toEqual(['a.jpg', 'bad.pdf', 'c.jpg', 'd.jpg']);
    expect(snapshots).toEqual(['1 of 4: a.jpg', '2 of 4: bad.pdf', '3 of 4: c.jpg', '4 of 4: d.jpg']);
    expect(useIntake.getState()).toMatchObject({ total: 4, done: 4, failed: 1, current: null });
  });

  it('goes on after an open that throws (counted as refused), then starts a new count once empty', async () => {
    const opened: string[] = [];
    await enqueueFiles([file('x.jpg'), file('y.jpg')], async (f) => {
      if (f.name === 'x.jpg') throw new Error('boom');
      opened.push(f.name);
      return true;
    });
    expect(opened).toEqual(['y.jpg']);
    expect(useIntake.getState()).toMatchObject({ total: 2, done: 2, failed: 1 });
    await enqueueFiles([file('z.jpg')], async () => true);
    expect(useIntake.getState()).toMatchObject({ total: 1, done: 1, failed: 0 });
  });
});
