/**
 * Typed application errors. Every failure the user can meet is an AppError with a stable `code`
 * (for logic and tests), a user-facing `message` (a full sentence saying what went wrong) and an
 * optional `hint` (the next step). Errors cross the worker boundary as plain `WireError` objects
 * (structured-cloneable): `toWire()` / `AppError.fromWire()` convert both ways.
 */

export const ERROR_CODES = [
  'manifest-invalid',
  'file-corrupt',
  'network',
  'quota',
  'image-decode',
  'image-unsupported',
  'image-too-large',
  'gpu-lost',
  'backend-failed',
  'model-output-invalid',
  'tokenizer-invalid',
  'input-invalid',
  'storage-unavailable',
  'data-deleted',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The plain-object form of an AppError, safe for postMessage and JSON. */
export interface WireError {
  code: ErrorCode;
  message: string;
  hint?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, hint?: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (hint !== undefined) this.hint = hint;
  }

  toWire(): WireError {
    return this.hint === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, hint: this.hint };
  }

  toJSON(): WireError {
    return this.toWire();
  }

  static fromWire(w: WireError): AppError {
    return new AppError(w.code, w.message, w.hint);
  }
}

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && (ERROR_CODES as readonly string[]).includes(x);
}

/** True for an AppError or anything shaped like a WireError (e.g. one received from a worker). */
export function isWireError(x: unknown): x is WireError {
  if (!x || typeof x !== 'object') return false;
  const o = x as Record<string, unknown>;
  return isErrorCode(o.code) && typeof o.message === 'string' && (o.hint === undefined || typeof o.hint === 'string');
}

/**
 * Any thrown value as a WireError: AppErrors and wire errors keep their code; anything else
 * becomes `fallback` with the original message appended (never lost, never a bare "[object]").
 */
export function toWireError(e: unknown, fallback: ErrorCode = 'internal'): WireError {
  if (e instanceof AppError) return e.toWire();
  if (isWireError(e)) return e.hint === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, hint: e.hint };
  const msg = e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e) ?? String(e);
  return { code: fallback, message: msg || 'An unexpected error occurred.' };
}

export function toAppError(e: unknown, fallback: ErrorCode = 'internal'): AppError {
  return e instanceof AppError ? e : AppError.fromWire(toWireError(e, fallback));
}
