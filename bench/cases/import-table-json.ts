import type { CaseContext } from '../support/case-types.js';
import type { Figure } from '../support/figures.js';
import { importTable } from '../support/import-table.js';

/** importOutcomesTable() of the 1M-row llm_task_outcomes table into a new JSON store (the fallback). */
export function run(context: CaseContext): Promise<Figure[]> {
  return importTable(context, 'json');
}
