import { isModelPerfError, type ModelPerfError, type ModelPerfErrorCode } from '../index.js';

/** The process exit codes: scripts branch on them, so they are part of the CLI's contract. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Codes of failures the CLI itself detects; the library's own codes pass through unchanged. */
export type CliErrorCode = 'MP_USAGE' | 'MP_NO_STORE' | 'MP_NOT_FOUND' | 'MP_DIR_IN_USE' | 'MP_MIGRATION_INCOMPLETE';

/** A failure found by the CLI (bad arguments, a dir it must not write), with what to do about it. */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly hint: string;
  readonly exitCode: number;

  constructor(code: CliErrorCode, message: string, hint: string, exitCode = EXIT_FAILURE) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.hint = hint;
    this.exitCode = exitCode;
  }
}

/** Bad command line: exit code 2, and the hint points at the command's help. */
export function usageError(message: string, command?: string): CliError {
  const help = command === undefined ? 'model-perf --help' : `model-perf ${command} --help`;
  return new CliError('MP_USAGE', message, `run \`${help}\` for the usage`, EXIT_USAGE);
}

const LIBRARY_HINTS: Readonly<Record<ModelPerfErrorCode, string>> = {
  MP_INVALID_OUTCOME:
    'names are non-empty (at most 200 characters), --id at most 128; --tokens is a whole number >= 0; --cost and --latency are numbers >= 0. Nothing was recorded.',
  MP_INVALID_QUERY: 'check the values of the options (see --help); nothing was changed.',
  MP_INVALID_IMPORT: 'the file is not in the expected format; nothing was imported from it.',
  MP_CLOSED: 'the store was closed while the command ran; run it again.',
  MP_BACKEND_UNAVAILABLE: 'run `model-perf doctor` to see why, or choose the JSON backend with --backend json.',
  MP_CORRUPT_DATA: 'the damaged file was kept (see backups/ in the store dir); run `model-perf doctor`.',
  MP_LOCKED: 'another process is writing to the store; retry, or raise busyTimeoutMs in model-perf.config.json.',
  MP_CONFIG: 'fix the setting named above (option, environment variable or model-perf.config.json).',
  MP_IO: 'check that the path exists, is writable, and that the disk has space.',
};

export interface ErrorReport {
  code: string;
  message: string;
  hint: string;
  exitCode: number;
}

/** File errors of the CLI's own reads and writes, by their system code: a missing file is not a full disk. */
const IO_HINTS: Readonly<Record<string, string>> = {
  ENOENT: 'check the path: there is no such file (or its dir does not exist).',
  EACCES: 'check the permissions of the file and its dir.',
  EISDIR: 'name a file, not a directory.',
  ENOTDIR: 'a part of the path is a file, not a directory.',
  ENOSPC: 'the disk is full: free some space and run it again.',
  EROFS: 'the file system is read-only: choose a writable path.',
};

function libraryHint(error: ModelPerfError): string {
  if (error.code === 'MP_IO') {
    const cause = (error.cause as NodeJS.ErrnoException | undefined)?.code;
    const hint = cause === undefined ? undefined : IO_HINTS[cause];
    if (hint !== undefined) return hint;
  }
  return LIBRARY_HINTS[error.code];
}

/** What to tell the user about any thrown value; an unexpected one is a bug, and says how to see its stack. */
export function describeFailure(error: unknown): ErrorReport {
  if (error instanceof CliError) {
    return { code: error.code, message: error.message, hint: error.hint, exitCode: error.exitCode };
  }
  if (isModelPerfError(error)) {
    return { code: error.code, message: error.message, hint: libraryHint(error), exitCode: EXIT_FAILURE };
  }
  return {
    code: 'MP_INTERNAL',
    message: error instanceof Error ? error.message : String(error),
    hint: 'this looks like a bug in model-perf; run again with --debug to see the stack trace, and report it.',
    exitCode: EXIT_FAILURE,
  };
}
