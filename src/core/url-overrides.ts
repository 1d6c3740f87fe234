/**
 * Settings a link may carry (`?backend=&variant=&threads=&bundle=`), checked: a value this app does
 * not know, or one that could point the app somewhere else (another origin, a path outside
 * /models/), is ignored and reported with the parameter and the value, never applied.
 */
import type { Backend, VariantName } from './backend-plan';
import { VARIANT_NAMES } from './manifest';

export interface SettingsOverrides {
  backend: Backend | 'auto';
  variant: VariantName | 'auto';
  numThreads: number;
  bundleUrl: string;
}

export interface IgnoredOverride {
  param: string;
  /** As given, shortened for display. */
  value: string;
  reason: string;
}

export const MAX_THREADS = 64;
const BUNDLE_ID = '[a-z0-9][a-z0-9._-]{0,63}';

/** A served bundle (/models/<id>) or one imported from disk (imported:<id>); never `..`. */
export function isBundleUrl(s: string): boolean {
  return new RegExp(`^(/models/|imported:)${BUNDLE_ID}$`).test(s) && !s.includes('..');
}

/** A value as a notice can show it: printable, at most 60 characters. */
function shown(v: string): string {
  const clean = v.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD');
  return clean.length > 60 ? `${clean.slice(0, 57)}…` : clean;
}

/** The query string's parameters (a URLSearchParams; core has no DOM types). */
export interface QueryParams {
  get(name: string): string | null;
}

export function parseUrlOverrides(q: QueryParams): { values: Partial<SettingsOverrides>; ignored: IgnoredOverride[] } {
  const values: Partial<SettingsOverrides> = {};
  const ignored: IgnoredOverride[] = [];
  const check = (param: string, ok: (v: string) => boolean, reason: string, apply: (v: string) => void) => {
    const v = q.get(param);
    if (v === null) return;
    if (ok(v)) apply(v);
    else ignored.push({ param, value: shown(v), reason });
  };
  check('backend', (v) => v === 'auto' || v === 'webgpu' || v === 'wasm', 'not one of auto, webgpu, wasm', (v) => (values.backend = v as SettingsOverrides['backend']));
  check('variant', (v) => v === 'auto' || (VARIANT_NAMES as readonly string[]).includes(v), `not one of auto, ${VARIANT_NAMES.join(', ')}`, (v) => (values.variant = v as SettingsOverrides['variant']));
  check('threads', (v) => /^\d{1,2}$/.test(v) && Number(v) <= MAX_THREADS, `not a whole number from 0 (automatic) to ${MAX_THREADS}`, (v) => (values.numThreads = Number(v)));
  check('bundle', isBundleUrl, 'not a model of this app (/models/<id> or imported:<id>, lower-case letters, digits, . _ -)', (v) => (values.bundleUrl = v));
  return { values, ignored };
}
