import type { CaseContext } from '../support/case-types.js';
import { coldOpen } from '../support/cold-open.js';
import type { Figure } from '../support/figures.js';

/** A fresh process opens the 1M SQLite store and reads one pair's stats (run once per process). */
export function run(context: CaseContext): Promise<Figure[]> {
  return coldOpen(context, 'sqlite', 'sqlite-large', { ms: { on: 'value', op: '<=', limit: 50, text: '<= 50 ms' } });
}
