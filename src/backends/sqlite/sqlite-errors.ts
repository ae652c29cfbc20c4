import path from 'node:path';
import { describeError, ModelPerfError } from '../../core/errors.js';

/** Primary SQLite result codes (https://sqlite.org/rescode.html); node:sqlite reports extended ones. */
const SQLITE_PERM = 3;
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_PROTOCOL = 15;
const SQLITE_NOLFS = 22;
const SQLITE_NOTADB = 26;

/** A column held a value of the wrong type: the schema was changed by hand or the file is damaged. */
export class UnexpectedColumnError extends Error {
  override readonly name = 'UnexpectedColumnError';
}

export interface ErrorContext {
  file: string;
  busyTimeoutMs: number;
}

function primaryCode(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const errcode = (error as { errcode?: unknown }).errcode;
  return typeof errcode === 'number' ? errcode & 0xff : undefined;
}

/** The database is locked by another connection, or was while SQLite tried to read its WAL index. */
export function isBusy(error: unknown): boolean {
  return primaryCode(error) === SQLITE_BUSY;
}

export function lockedError(error: unknown, { file, busyTimeoutMs }: ErrorContext): ModelPerfError {
  return new ModelPerfError(
    'MP_LOCKED',
    `The SQLite database ${file} stayed locked by another connection for longer than the busy timeout ` +
      `(${busyTimeoutMs} ms): ${describeError(error)}. Retry later, or raise busyTimeoutMs.`,
    { cause: error, file },
  );
}

function io(error: unknown, { file }: ErrorContext): ModelPerfError {
  return new ModelPerfError(
    'MP_IO',
    `SQLite could not read or write ${file}: ${describeError(error)}. ` +
      `Check that the disk has space and that this process may read and write ${path.dirname(file)}.`,
    { cause: error, file },
  );
}

function corrupt(error: unknown, { file }: ErrorContext): ModelPerfError {
  return new ModelPerfError(
    'MP_CORRUPT_DATA',
    `${file} is not a readable model-perf SQLite database: ${describeError(error)}. It was left as it is; ` +
      'restore it from a backup, or move it aside to start an empty store.',
    { cause: error, file },
  );
}

/**
 * Turns what SQLite throws into a typed error naming the file. Anything else (a model-perf error, a bug)
 * passes through unchanged: wrapping it would hide it behind a misleading code.
 */
export function toStoreError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof UnexpectedColumnError) return corrupt(error, context);
  switch (primaryCode(error)) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    // A WAL lock race that outlived SQLite's own retries: another connection held the locks.
    case SQLITE_PROTOCOL:
      return lockedError(error, context);
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_NOLFS:
      return io(error, context);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return corrupt(error, context);
    default:
      return error;
  }
}
