/** How far the text model is with the prompts of a new label list (the diagnose screen shows it). */
import { create } from 'zustand';

export interface TextProgress {
  done: number;
  total: number;
}

export const useTextProgress = create<{ progress: TextProgress | null }>(() => ({ progress: null }));

export function setTextProgress(progress: TextProgress | null): void {
  useTextProgress.setState({ progress });
}
