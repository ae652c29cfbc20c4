import { DEFAULT_RECENT_DAYS } from '../../index.js';
import { definedOnly, WINDOW_DAYS } from '../arguments.js';
import type { Command } from '../command.js';
import { requireStoreDir, withLearner } from '../store-access.js';
import { collectReport, formatReport } from '../store-report.js';

export const reportCommand: Command = {
  name: 'report',
  summary: 'every task type: ranking, demotion verdicts and the A/B pair',
  positionals: [],
  options: {
    'window-days': {
      type: 'string',
      value: 'N',
      description: `rank, demote and pick the A/B pair on the last N days only (default: all time); the table shows the last N days (default ${DEFAULT_RECENT_DAYS}) next to all time`,
    },
  },
  details: [
    'Models with fewer samples than the ranking needs (3) are listed last, marked "too few samples".',
    'A model is flagged "demote" when even the upper bound of its success rate is below 50%.',
    '"drift" flags a model whose recent success rate differs from its rate before (two-proportion test, p < 0.05).',
  ],
  examples: ['model-perf report', 'model-perf report --window-days 7', 'model-perf report --json'],
  async run(context) {
    const windowDays = context.args.number('window-days', WINDOW_DAYS);
    requireStoreDir(context);
    const report = await withLearner(context, (learner) => collectReport(learner, definedOnly({ windowDays })));
    context.out.result(report, () => formatReport(report, context.out.paint));
  },
};
