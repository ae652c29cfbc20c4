/**
 * Stable error codes. Callers branch on `code`, never on message text, so codes are
 * part of the public API: add new ones, never rename.
 */
export type ModelPerfErrorCode =
  | 'MP_INVALID_OUTCOME'
  | 'MP_INVALID_QUERY'
  | 'MP_INVALID_IMPORT'
  | 'MP_CLOSED'
  | 'MP_BACKEND_UNAVAILABLE'
  | 'MP_CORRUPT_DATA'
  | 'MP_LOCKED'
  | 'MP_CONFIG'
  | 'MP_IO';

export interface ModelPerfErrorDetails {
  cause?: unknown;
  /** The input field at fault, for validation errors. */
  field?: string | undefined;
  /** The file at fault, for storage and config errors. */
  file?: string | undefined;
}

export class ModelPerfError extends Error {
  readonly code: ModelPerfErrorCode;
  readonly field: string | undefined;
  readonly file: string | undefined;

  constructor(code: ModelPerfErrorCode, message: string, details: ModelPerfErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ModelPerfError';
    this.code = code;
    this.field = details.field;
    this.file = details.file;
  }
}

export function isModelPerfError(value: unknown, code?: ModelPerfErrorCode): value is ModelPerfError {
  return value instanceof ModelPerfError && (code === undefined || value.code === code);
}

/** A short description of any thrown value, for log lines and wrapped messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/** A short, safe rendering of a bad value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  return typeof value;
}

/** Refuses one field of the caller's input, naming it. */
export function invalidInput(code: ModelPerfErrorCode, field: string, problem: string): never {
  throw new ModelPerfError(code, `Invalid ${field}: ${problem}`, { field });
}
