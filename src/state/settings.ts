/**
 * User settings (zustand, persisted in localStorage): which model, which backend, how to rank.
 * Values from the page's link (?backend=…, state/url-overrides.ts) win for this page load only:
 * they are never saved, so one shared link does not change every later visit.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { Backend, Precision, VariantName } from '../core/backend-plan';
import { DEFAULT_TEMPLATE_SET } from '../core/prompts';
import type { SettingsOverrides } from '../core/url-overrides';

export const DEFAULT_BUNDLE_URL = '/models/demo-tiny';

export interface Settings {
  bundleUrl: string;
  backend: Backend | 'auto';
  variant: VariantName | 'auto';
  /** fast (quantized where it pays) or exact (no quantization). */
  precision: Precision;
  /** 0: automatic */
  numThreads: number;
  labelSetId: string;
  templateSetId: string;
  topK: number;
  /** The user's own label list, as typed or pasted. */
  customLabels: string;
  update(p: Partial<Omit<Settings, 'update' | 'reset'>>): void;
  reset(): void;
}

const defaults = {
  bundleUrl: DEFAULT_BUNDLE_URL,
  backend: 'auto' as const,
  variant: 'auto' as const,
  precision: 'fast' as Precision,
  numThreads: 0,
  labelSetId: 'ontology:leaves',
  templateSetId: DEFAULT_TEMPLATE_SET as string,
  topK: 5,
  customLabels: '',
};

/** The saved values that this page's link overrides hide: what is written in their place. */
let hidden: Partial<SettingsOverrides> = {};
let pageOverrides: Partial<SettingsOverrides> = {};

export const useSettings = create<Settings>()(
  persist(
    (set) => ({
      ...defaults,
      update: (p) => {
        // A setting the user chooses is theirs: saved, even where the link had set it.
        for (const k of Object.keys(p)) {
          delete hidden[k as keyof SettingsOverrides];
          delete pageOverrides[k as keyof SettingsOverrides];
        }
        set(p);
      },
      reset: () => {
        hidden = {};
        pageOverrides = {};
        set(defaults);
      },
    }),
    { name: 'dermlip-settings', version: 1, partialize: (s) => ({ ...s, ...hidden }) },
  ),
);

/** Settings for this page load only (from its link): shown and used, never saved. */
export function overrideForThisPage(p: Partial<SettingsOverrides>): void {
  const s = useSettings.getState();
  for (const k of Object.keys(p) as (keyof SettingsOverrides)[]) if (!(k in hidden)) Object.assign(hidden, { [k]: s[k] });
  Object.assign(pageOverrides, p);
  useSettings.setState(p);
}

/** All data was deleted: the defaults again (this page's link still applies), nothing saved. */
export function resetSettingsAfterWipe(): void {
  const page = { ...pageOverrides };
  useSettings.getState().reset();
  overrideForThisPage(page);
  useSettings.persist.clearStorage();
}
