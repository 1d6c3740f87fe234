/** Messages about the user's input or storage (zustand): specific, dismissible, never blocking. */
import { create } from 'zustand';
import { toAppError } from '../core/errors';

export interface Notice {
  id: number;
  level: 'error' | 'warning' | 'info';
  message: string;
  hint?: string;
}

interface NoticesState {
  notices: Notice[];
  notify(n: Omit<Notice, 'id'>): void;
  dismiss(id: number): void;
}

/** At most this many on screen: the oldest go first. */
const KEEP = 5;
let nextId = 1;

export const useNotices = create<NoticesState>((set, get) => ({
  notices: [],
  notify: (n) => set({ notices: [...get().notices, { ...n, id: nextId++ }].slice(-KEEP) }),
  dismiss: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
}));

export function notify(n: Omit<Notice, 'id'>): void {
  useNotices.getState().notify(n);
}

/** Any thrown value as a notice with its message and hint. */
export function notifyError(e: unknown, level: Notice['level'] = 'error'): void {
  const err = toAppError(e);
  notify({ level, message: err.message, hint: err.hint });
}
