/** User settings (zustand, persisted in localStorage): which model, which backend, how to rank. */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { Backend, Precision, VariantName } from '../core/backend-plan';
import { VARIANT_NAMES } from '../core/manifest';
import { DEFAULT_TEMPLATE_SET } from '../core/prompts';

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

export const useSettings = create<Settings>()(
  persist(
    (set) => ({
      ...defaults,
      update: (p) => set(p),
      reset: () => set(defaults),
    }),
    { name: 'dermlip-settings', version: 1 },
  ),
);

/** A served bundle (/models/<id>) or one imported from disk (imported:<id>). */
export function isBundleUrl(s: string): boolean {
  return /^(\/models\/|imported:)[a-z0-9][a-z0-9._-]*$/.test(s);
}

/** URL overrides (?backend=wasm&variant=fp32&threads=1&bundle=/models/x) win for this page load. */
export function applyUrlOverrides(search: string): void {
  const q = new URLSearchParams(search);
  const p: Partial<Settings> = {};
  const b = q.get('backend');
  if (b === 'webgpu' || b === 'wasm' || b === 'auto') p.backend = b;
  const v = q.get('variant');
  if (v === 'auto') p.variant = v;
  else if (v) p.variant = VARIANT_NAMES.find((n) => n === v);
  const t = q.get('threads');
  if (t && /^\d+$/.test(t)) p.numThreads = Number(t);
  const bundle = q.get('bundle');
  if (bundle && isBundleUrl(bundle)) p.bundleUrl = bundle;
  if (Object.keys(p).length) useSettings.getState().update(p);
}
