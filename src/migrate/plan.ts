import { join, resolve } from 'node:path';
import { readTextIfExists } from '../core/durable-files.js';
import { describeError, isModelPerfError } from '../core/errors.js';
import { LEGACY_FILE, parseLegacyStats } from '../core/legacy-format.js';

export type LegacyPlan =
  | { status: 'none' }
  | { status: 'invalid'; file: string; reason: string }
  | {
      status: 'valid';
      file: string;
      pairs: number;
      taskTypes: number;
      successes: number;
      failures: number;
      timeouts: number;
    };

export interface MigrationPlan {
  dir: string;
  legacy: LegacyPlan;
}

/**
 * A dry run: what opening a SQLite store in dir would import, computed from the files alone. It opens
 * no store and writes nothing.
 */
export async function planMigration({ dir }: { dir: string }): Promise<MigrationPlan> {
  const root = resolve(dir);
  const file = join(root, LEGACY_FILE);
  let text: string | undefined;
  try {
    text = await readTextIfExists(file, 'legacy');
  } catch (error) {
    return { dir: root, legacy: { status: 'invalid', file, reason: `cannot read it: ${describeError(error)}` } };
  }
  if (text === undefined) return { dir: root, legacy: { status: 'none' } };
  try {
    const entries = parseLegacyStats(text, file);
    return {
      dir: root,
      legacy: {
        status: 'valid',
        file,
        pairs: entries.length,
        taskTypes: new Set(entries.map((entry) => entry.taskType)).size,
        successes: entries.reduce((sum, entry) => sum + entry.successes, 0),
        failures: entries.reduce((sum, entry) => sum + entry.failures, 0),
        timeouts: entries.reduce((sum, entry) => sum + entry.timeouts, 0),
      },
    };
  } catch (error) {
    if (!isModelPerfError(error, 'MP_INVALID_IMPORT')) throw error;
    return { dir: root, legacy: { status: 'invalid', file, reason: error.message } };
  }
}
