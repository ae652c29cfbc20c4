import { createHash } from 'node:crypto';
import type { ModelStats } from '../core/types.js';

/**
 * A short token of the store's aggregates: every recorded outcome changes a count and lastUsed, so the
 * token changes with the data, and a served page compares tokens to know when to reload.
 */
export function dataVersion(stats: readonly ModelStats[]): string {
  return createHash('sha256').update(JSON.stringify(stats)).digest('base64url').slice(0, 16);
}
