/**
 * The service worker: registered once; a new app version waits until the user accepts it
 * ("update available"), so one page never mixes two versions.
 */
import { registerSW } from 'virtual:pwa-register';
import { create } from 'zustand';

interface PwaState {
  needRefresh: boolean;
  offlineReady: boolean;
  update: () => Promise<void>;
}

export const usePwa = create<PwaState>(() => ({ needRefresh: false, offlineReady: false, update: async () => {} }));

export function startServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const updateSW = registerSW({
    immediate: true,
    onNeedRefresh: () => usePwa.setState({ needRefresh: true }),
    onOfflineReady: () => usePwa.setState({ offlineReady: true }),
  });
  usePwa.setState({ update: () => updateSW(true) });
}
