import type { DatabaseSync } from 'node:sqlite';
import { text } from './rows.js';

/** SQLite stops listing problems past this many; the first ones say enough to act. */
const MAX_LISTED = 20;

/**
 * SQLite's own checks of the database, as sentences naming the file; none when it is sound.
 * integrity_check reads every page (b-trees, indexes against their tables, free list, STRICT types);
 * foreign_key_check finds outcomes and baselines whose stats row is missing.
 */
export function integrityProblems(db: DatabaseSync, file: string): string[] {
  const problems: string[] = [];
  for (const row of db.prepare(`PRAGMA integrity_check(${MAX_LISTED})`).all()) {
    const message = text(row, 'integrity_check');
    if (message !== 'ok') problems.push(`${file}: ${message}`);
  }
  for (const row of db.prepare('PRAGMA foreign_key_check').all()) {
    problems.push(
      `${file}: row ${String(row.rowid)} of ${text(row, 'table')} refers to a missing row of ${text(row, 'parent')}`,
    );
  }
  return problems;
}
