import path from 'node:path';
import {
  type BackendOptions,
  DEFAULT_BUSY_TIMEOUT_MS,
  type Durability,
  type Selection,
} from '../../core/backend-options.js';
import { ModelPerfError } from '../../core/errors.js';
import { type Logger, stderrLogger } from '../../core/logger.js';

// An interface rather than an alias, so that JSON-only options can join it later.
export interface JsonStoreOptions extends BackendOptions {}

/** The options checked, with defaults filled in and the directory made absolute. */
export interface JsonSettings {
  dir: string;
  durability: Durability;
  busyTimeoutMs: number;
  logger: Logger;
  selection: Selection;
}

function invalid(field: string, problem: string): ModelPerfError {
  return new ModelPerfError('MP_CONFIG', `Invalid JSON store option ${field}: ${problem}`, { field });
}

export function resolveSettings(options: JsonStoreOptions): JsonSettings {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('openJsonStore expects an options object with at least { dir }');
  }
  const { dir, durability = 'normal', busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS, logger, selection } = options;
  if (typeof dir !== 'string' || dir.trim().length === 0) throw invalid('dir', 'expected a directory path');
  if (durability !== 'normal' && durability !== 'full') throw invalid('durability', "expected 'normal' or 'full'");
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw invalid('busyTimeoutMs', 'expected whole milliseconds, 0 or more');
  }
  return {
    dir: path.resolve(dir),
    durability,
    busyTimeoutMs,
    logger: logger ?? stderrLogger,
    selection: selection ?? { reason: 'JSON: opened directly', degraded: false, warnings: [] },
  };
}
