import type { CaseContext } from '../support/case-types.js';
import { coldOpen } from '../support/cold-open.js';
import type { Figure } from '../support/figures.js';

/** A fresh process opens the 1M JSON store and reads one pair's stats (run once per process). */
export function run(context: CaseContext): Promise<Figure[]> {
  return coldOpen(context, 'json', 'json-large', {
    ms: { on: 'value', op: '<=', limit: 500, text: '<= 500 ms' },
    rss: { on: 'value', op: '<=', limit: 150, text: '<= 150 MB' },
  });
}
