/**
 * Presenter mode's keyboard, as a pure state machine: arrows (and a clicker's Page Up/Down) move
 * between cases, Space reveals in two stages (1: what the model sees; 2: the true diagnosis and
 * the teacher's notes; once all is shown, Space moves on), digits 1-9 record the room's choice,
 * T switches the theme, Home/End jump, Esc leaves.
 */

/** 0: the photo and the question; 1: the model's view; 2: the true diagnosis and the notes. */
export type Stage = 0 | 1 | 2;

export interface PresenterState {
  index: number;
  stage: Stage;
  /** The room's choice per case index (0-based choice). */
  picks: Readonly<Record<number, number>>;
}

export type PresenterAction = { kind: 'state'; state: PresenterState } | { kind: 'leave' } | { kind: 'theme' };

export const START: PresenterState = { index: 0, stage: 0, picks: {} };

function go(s: PresenterState, index: number, total: number): PresenterState {
  const i = Math.max(0, Math.min(total - 1, index));
  return i === s.index ? s : { ...s, index: i, stage: 0 };
}

/** What a key does; null: not a presenter key (let the browser have it). */
export function presenterKey(s: PresenterState, key: string, total: number, choices: number): PresenterAction | null {
  const state = (next: PresenterState): PresenterAction => ({ kind: 'state', state: next });
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
    case 'PageDown':
      return state(go(s, s.index + 1, total));
    case 'ArrowLeft':
    case 'ArrowUp':
    case 'PageUp':
      return state(go(s, s.index - 1, total));
    case 'Home':
      return state(go(s, 0, total));
    case 'End':
      return state(go(s, total - 1, total));
    case ' ':
    case 'Spacebar':
      return state(s.stage < 2 ? { ...s, stage: (s.stage + 1) as Stage } : go(s, s.index + 1, total));
    case 'Escape':
      return { kind: 'leave' };
    case 't':
    case 'T':
      return { kind: 'theme' };
  }
  if (/^[1-9]$/.test(key)) {
    const c = Number(key) - 1;
    return c < choices ? state({ ...s, picks: { ...s.picks, [s.index]: c } }) : null;
  }
  return null;
}
