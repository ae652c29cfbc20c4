import type { VerifyReport } from '../../index.js';
import type { Command } from '../command.js';
import { EXIT_FAILURE, EXIT_OK } from '../errors.js';
import { plural } from '../format.js';
import type { Painter } from '../output.js';
import { requireStoreDir, withStore } from '../store-access.js';
import { formatTable } from '../table.js';

function formatVerify(report: VerifyReport, paint: Painter): string[] {
  const counted = `${plural(report.outcomes, 'outcome')}, ${plural(report.pairs, 'task/model pair')} and ${plural(report.baselines, 'baseline')} on ${report.backend}`;
  if (report.ok)
    return [
      `${paint('green', 'OK')}: the stored stats equal a recount of ${counted}; the storage check found nothing.`,
    ];
  const lines = [`${paint('red', 'MISMATCH')}: checked ${counted}.`];
  if (report.integrity.length > 0)
    lines.push('', 'Storage check:', ...report.integrity.map((problem) => `  ${problem}`));
  if (report.mismatches.length > 0) {
    lines.push(
      '',
      ...formatTable(
        [
          { header: 'task type' },
          { header: 'model' },
          { header: 'field' },
          { header: 'stored', align: 'right' },
          { header: 'recounted', align: 'right' },
        ],
        report.mismatches.map((mismatch) => [
          mismatch.taskType,
          mismatch.modelId,
          mismatch.field,
          String(mismatch.stored),
          String(mismatch.recounted),
        ]),
        paint,
      ),
    );
  }
  const problems = plural(report.mismatches.length + report.integrity.length, 'problem');
  lines.push('', `${problems}; nothing was changed. See \`model-perf doctor\` and docs/OPERATIONS.md.`);
  return lines;
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: "check the store's files and recount its stats from the raw outcomes; exit 1 on any mismatch",
  positionals: [],
  options: {},
  details: [
    "The backend's own storage check (SQLite: integrity_check and foreign_key_check; JSON: parses and checksums),",
    'then every stored counter against a recount of the outcomes plus the imported baselines. Changes nothing.',
  ],
  examples: ['model-perf verify', 'model-perf verify --dir /var/lib/agent/.model-perf --json'],
  async run(context) {
    requireStoreDir(context);
    const report = await withStore(context, (store) => store.verify());
    context.out.result(report, () => formatVerify(report, context.out.paint));
    context.out.exitCode = report.ok ? EXIT_OK : EXIT_FAILURE;
  },
};
