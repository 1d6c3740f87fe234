/**
 * Kiosk mode's rules, pure: the staff PIN's format, the idle limits, and the idle countdown. A
 * visitor's photo is wiped when they press Done or after `idleSeconds` without any input.
 */

export const KIOSK_IDLE = { min: 5, max: 3600, default: 60 } as const;
export const KIOSK_CYCLE = { min: 2, max: 120, default: 8 } as const;

/** Why a PIN cannot be used (a full sentence), or null when it can. */
export function pinProblem(pin: string, confirm?: string): string | null {
  if (!/^\d+$/.test(pin)) return 'The PIN must be digits only.';
  if (pin.length < 4 || pin.length > 8) return 'The PIN must have 4 to 8 digits.';
  if (/^(\d)\1+$/.test(pin)) return 'The PIN must not be one digit repeated.';
  if (confirm !== undefined && confirm !== pin) return 'The two PINs differ.';
  return null;
}

/** A whole number of seconds within the limits, or a sentence saying what is wrong. */
export function parseSeconds(text: string, limits: { min: number; max: number }, what: string): number | string {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return `${what} must be a whole number of seconds.`;
  const n = Number(t);
  if (n < limits.min || n > limits.max) return `${what} must be between ${limits.min} and ${limits.max} seconds.`;
  return n;
}

/** Whole seconds left before a visitor's photo is wiped (0: wipe now). */
export function idleSecondsLeft(lastInputMs: number, nowMs: number, idleSeconds: number): number {
  return Math.max(0, Math.ceil((lastInputMs + idleSeconds * 1000 - nowMs) / 1000));
}
