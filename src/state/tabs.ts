/**
 * Tabs of this app in one browser keep each other up to date (BroadcastChannel): after "Delete all
 * data" in one, the others close their cases and reset their settings (a model whose files can no
 * longer come back is replaced by the default one); a model imported or deleted in one shows up in
 * the others' lists. A tab that missed the message (asleep, or no BroadcastChannel) learns the same
 * from storage the first time it tries to write old data (storage/epoch.ts), and recovers the same way.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { onWipeElsewhere, refreshEpoch } from '../storage/epoch';
import { IMPORTED } from '../storage/manifests';
import { useCases } from './cases';
import { notify } from './notices';
import { DEFAULT_BUNDLE_URL, resetSettingsAfterWipe, useSettings } from './settings';

type TabMessage = { type: 'wiped' } | { type: 'bundles-changed' } | { type: 'bundle-deleted'; baseUrl: string };

const CHANNEL = 'dermlip-tabs';
let channel: BroadcastChannel | null = null;
let refreshLists: () => void = () => undefined;
/** The last wipe this tab recovered from (one notice per wipe, however it learnt of it). */
let recovered = 0;

function getChannel(): BroadcastChannel | null {
  if (!channel && typeof BroadcastChannel !== 'undefined') channel = new BroadcastChannel(CHANNEL);
  return channel;
}

function announce(m: TabMessage): void {
  getChannel()?.postMessage(m);
}

/** Tell the other tabs that the stored models changed (one was imported). */
export function announceBundlesChanged(): void {
  announce({ type: 'bundles-changed' });
}

/** Tell the other tabs that a model was deleted from this device. */
export function announceBundleDeleted(baseUrl: string): void {
  announce({ type: 'bundle-deleted', baseUrl });
}

/** All data was deleted here: tell the other tabs, and drop what this tab still shows. */
export async function announceWiped(): Promise<void> {
  announce({ type: 'wiped' });
  await recoverFromWipe('here');
}

async function recoverFromWipe(where: 'here' | 'elsewhere'): Promise<void> {
  const epoch = await refreshEpoch().catch(() => null);
  useCases.getState().dropAll();
  resetSettingsAfterWipe();
  refreshLists();
  if (where === 'elsewhere' && (epoch === null || epoch > recovered)) {
    notify({ level: 'info', message: 'All data of this app was deleted in another tab: the cases open here were closed and the settings were reset.' });
  }
  if (epoch !== null) recovered = Math.max(recovered, epoch);
}

function followDeletion(baseUrl: string): void {
  refreshLists();
  if (useSettings.getState().bundleUrl !== baseUrl || !baseUrl.startsWith(IMPORTED)) return;
  const bundleId = baseUrl.slice(IMPORTED.length);
  // An imported model cannot be fetched again: back to the default one, as in the tab that deleted it.
  useSettings.getState().update({ bundleUrl: DEFAULT_BUNDLE_URL, variant: 'auto' });
  notify({ level: 'info', message: `The model "${bundleId}" was deleted in another tab; this tab uses the default model again.` });
}

/** Listen to the other tabs (mounted once, by the app). */
export function useTabSync(): void {
  const qc = useQueryClient();
  useEffect(() => {
    refreshLists = () => {
      void qc.invalidateQueries({ queryKey: ['available-bundles'] });
      void qc.invalidateQueries({ queryKey: ['storage-report'] });
    };
    const onMessage = (ev: MessageEvent<TabMessage>) => {
      const m = ev.data;
      if (m?.type === 'wiped') void recoverFromWipe('elsewhere');
      else if (m?.type === 'bundles-changed') refreshLists();
      else if (m?.type === 'bundle-deleted' && typeof m.baseUrl === 'string') followDeletion(m.baseUrl);
    };
    const ch = getChannel();
    ch?.addEventListener('message', onMessage);
    const off = onWipeElsewhere(() => void recoverFromWipe('elsewhere'));
    return () => {
      ch?.removeEventListener('message', onMessage);
      off();
    };
  }, [qc]);
}
