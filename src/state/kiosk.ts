/**
 * Kiosk mode for an unattended booth. Two kinds of state, kept apart on purpose:
 * - the operator's settings (on/off, a salted hash of the staff PIN, idle and cycle times, the pack
 *   the attract screen cycles), persisted in localStorage so a reloaded kiosk stays a kiosk;
 * - the visitor's photo and what the model made of it, in memory only. Nothing of a visitor is ever
 *   written anywhere: no saved case, no embedding cache entry (embedImage with `cache: false`), no
 *   OPFS, no Cache Storage. "Done" or the idle timeout drops it all: the object URL is revoked,
 *   the decoded pixels were dropped as soon as the model had run, and the store is emptied.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { sha256Hex } from '../core/cachekeys';
import { toAppError } from '../core/errors';
import { KIOSK_CYCLE, KIOSK_IDLE } from '../core/teach/kiosk';
import { decodePhoto } from '../media/decode';
import { displayCopies } from '../media/thumbnails';
import { embedImage } from './embed';
import type { LoadedModel } from './model';
import { useNotices } from './notices';

export interface KioskSettings {
  active: boolean;
  pinSalt: string;
  pinHash: string;
  idleSeconds: number;
  cycleSeconds: number;
  /** The pack whose cases the attract screen cycles. */
  packId: string;
}

const OFF: KioskSettings = { active: false, pinSalt: '', pinHash: '', idleSeconds: KIOSK_IDLE.default, cycleSeconds: KIOSK_CYCLE.default, packId: 'sample' };

export const useKiosk = create<KioskSettings>()(persist(() => ({ ...OFF }), { name: 'dermlip-kiosk', version: 1 }));

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

const hashPin = (salt: string, pin: string) => sha256Hex(new TextEncoder().encode(`${salt}:${pin}`));

/** Turn kiosk mode on with a new staff PIN (the PIN itself is never stored, only a salted hash). */
export async function startKiosk(o: { pin: string; idleSeconds: number; cycleSeconds: number; packId: string }): Promise<void> {
  const pinSalt = randomHex(16);
  useKiosk.setState({ active: true, pinSalt, pinHash: await hashPin(pinSalt, o.pin), idleSeconds: o.idleSeconds, cycleSeconds: o.cycleSeconds, packId: o.packId });
}

/** Wrong PINs in a row; after MAX_TRIES the PIN is refused for LOCK_MS (a visitor guessing). */
const MAX_TRIES = 5;
const LOCK_MS = 60_000;
let wrong = 0;
let lockedUntil = 0;

/** Whether `pin` is the staff PIN; a sentence instead when too many wrong PINs were typed. */
export async function checkPin(pin: string): Promise<true | string> {
  const now = Date.now();
  if (now < lockedUntil) return `Too many wrong PINs: try again in ${Math.ceil((lockedUntil - now) / 1000)} s.`;
  const { pinSalt, pinHash } = useKiosk.getState();
  if (pinHash && (await hashPin(pinSalt, pin)) === pinHash) {
    wrong = 0;
    return true;
  }
  if (++wrong >= MAX_TRIES) {
    wrong = 0;
    lockedUntil = now + LOCK_MS;
  }
  return 'Wrong PIN.';
}

export function updateKiosk(p: Partial<Pick<KioskSettings, 'idleSeconds' | 'cycleSeconds' | 'packId'>>): void {
  useKiosk.setState(p);
}

/** Leave kiosk mode (after the PIN was checked): the visitor's photo goes, the settings are forgotten. */
export function exitKiosk(): void {
  clearVisitor();
  useKiosk.setState({ ...OFF });
}

export interface KioskVisitor {
  /** Changes with every photo (React keys, stale results). */
  id: number;
  name: string;
  /** Object URL of the photo (or its display copy); revoked when the visitor is cleared. */
  photoUrl: string;
  phase: 'working' | 'ready' | 'error';
  embedding?: Float32Array;
  variant?: string;
  backend?: string;
  error?: { message: string; hint?: string };
}

export const useKioskVisitor = create<{ visitor: KioskVisitor | null }>(() => ({ visitor: null }));

let current = 0;
let inflight: AbortController | null = null;
let liveUrl: string | null = null;

/** Drop everything the visitor added: the photo's URL, its embedding, any message about it. */
export function clearVisitor(): void {
  current++;
  inflight?.abort();
  inflight = null;
  if (liveUrl) URL.revokeObjectURL(liveUrl);
  liveUrl = null;
  useKioskVisitor.setState({ visitor: null });
  useNotices.setState({ notices: [] });
}

/** A visitor's photo through the model, in memory only; replaces any earlier visitor's photo. */
export async function showVisitorPhoto(file: File, model: LoadedModel): Promise<void> {
  clearVisitor();
  const id = current;
  const ctl = new AbortController();
  inflight = ctl;
  const stale = () => id !== current;
  const name = file.name || 'your photo';
  try {
    let decoded: Awaited<ReturnType<typeof decodePhoto>> | null = await decodePhoto(file, name);
    if (stale()) return;
    const { preview } = await displayCopies(decoded);
    if (stale()) return;
    liveUrl = URL.createObjectURL(preview ?? file);
    useKioskVisitor.setState({ visitor: { id, name, photoUrl: liveUrl, phase: 'working' } });
    const r = await embedImage(model, decoded.pixels, undefined, { signal: ctl.signal, cache: false });
    decoded = null;
    if (stale()) return;
    useKioskVisitor.setState({ visitor: { id, name, photoUrl: liveUrl, phase: 'ready', embedding: r.embedding, variant: r.variant, backend: r.backend } });
  } catch (e) {
    if (stale()) return;
    const err = toAppError(e);
    useKioskVisitor.setState((s) => ({ visitor: { id, name, photoUrl: s.visitor?.photoUrl ?? '', phase: 'error', error: { message: err.message, hint: err.hint } } }));
  } finally {
    if (inflight === ctl) inflight = null;
  }
}
