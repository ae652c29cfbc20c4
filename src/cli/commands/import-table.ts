import { type ImportReport, importOutcomesTable } from '../../migrate/index.js';
import type { Command } from '../command.js';
import { requireReadableFile } from '../files.js';
import { formatCount, plural } from '../format.js';
import { withStore } from '../store-access.js';

const SHOWN_PROBLEMS = 5;

function formatImport(file: string, table: string, report: ImportReport): string[] {
  const lines = [
    `Read ${plural(report.rows, 'row')} of ${table} in ${file}: ${formatCount(report.imported)} imported, ${formatCount(report.alreadyPresent)} already present, ${formatCount(report.skipped)} skipped.`,
  ];
  if (report.problems.length > 0) {
    lines.push(
      'Skipped rows:',
      ...report.problems.slice(0, SHOWN_PROBLEMS).map((problem) => `  row ${problem.rowId}: ${problem.message}`),
    );
    if (report.skipped > SHOWN_PROBLEMS) lines.push(`  … and ${formatCount(report.skipped - SHOWN_PROBLEMS)} more`);
  }
  return lines;
}

export const importTableCommand: Command = {
  name: 'import-table',
  summary: 'import the outcomes of an llm_task_outcomes table from another SQLite file',
  positionals: [{ name: 'file', required: true, description: 'the SQLite file that holds the table' }],
  options: { table: { type: 'string', value: 'NAME', description: 'the table (default llm_task_outcomes)' } },
  details: [
    'Rows map unit_type to the task type, model_id, succeeded, tokens_total, cost_usd, duration_ms and recorded_at.',
    'Each row keeps an id derived from the file and its row id: running the import again adds nothing twice.',
  ],
  examples: ['model-perf import-table runtime.db', 'model-perf import-table runtime.db --table outcomes_2025'],
  async run(context) {
    const { args, out } = context;
    const file = args.requiredPositional('file');
    const table = args.string('table') ?? 'llm_task_outcomes';
    await requireReadableFile(file);
    const report = await out.track('import', (progress) =>
      withStore(context, (store) =>
        importOutcomesTable({ store, file, table, onProgress: ({ done, total }) => progress.update(done, total) }),
      ),
    );
    out.result({ file, table, ...report }, () => formatImport(file, table, report));
    if (report.skipped > 0)
      out.warn(`${plural(report.skipped, 'row')} could not be imported: the first are listed in the result.`);
  },
};
