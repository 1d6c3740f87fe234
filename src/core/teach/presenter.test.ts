import { describe, expect, it } from 'vitest';
import { presenterKey, START, type PresenterAction, type PresenterState } from './presenter';

function run(keys: string[], total = 3, choices = 4): PresenterState {
  let s = START;
  for (const k of keys) {
    const a = presenterKey(s, k, total, choices);
    if (a?.kind === 'state') s = a.state;
  }
  return s;
}

describe('presenterKey', () => {
  it('moves between cases with arrows, Page Up/Down, Home and End, within bounds; a move hides the answer', () => {
    expect(run(['ArrowRight']).index).toBe(1);
    expect(run(['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight']).index).toBe(2);
    expect(run(['ArrowLeft']).index).toBe(0);
    expect(run(['PageDown', 'PageDown', 'PageUp']).index).toBe(1);
    expect(run(['End']).index).toBe(2);
    expect(run(['End', 'Home']).index).toBe(0);
    expect(run([' ', 'ArrowRight']).stage).toBe(0);
  });
  it('Space reveals in two stages, then moves on; a move at the edge keeps the stage', () => {
    expect(run([' ']).stage).toBe(1);
    expect(run([' ', ' ']).stage).toBe(2);
    expect(run([' ', ' ', ' '])).toMatchObject({ index: 1, stage: 0 });
    expect(run(['End', ' ', 'ArrowRight'])).toMatchObject({ index: 2, stage: 1 });
  });
  it('digits record the room’s choice for this case only; digits beyond the choices are not handled', () => {
    expect(run(['2']).picks).toEqual({ 0: 1 });
    expect(run(['2', 'ArrowRight', '4', '3']).picks).toEqual({ 0: 1, 1: 2 });
    expect(presenterKey(START, '5', 3, 4)).toBeNull();
    expect(presenterKey(START, '0', 3, 4)).toBeNull();
  });
  it('Esc leaves, T switches the theme, other keys are left to the browser', () => {
    expect(presenterKey(START, 'Escape', 3, 4)).toEqual<PresenterAction>({ kind: 'leave' });
    expect(presenterKey(START, 't', 3, 4)).toEqual<PresenterAction>({ kind: 'theme' });
    expect(presenterKey(START, 'Tab', 3, 4)).toBeNull();
    expect(presenterKey(START, 'a', 3, 4)).toBeNull();
  });
});
