import type { Command } from '../command.js';
import { collectReport } from '../report-data.js';
import { formatReport } from '../report-view.js';
import { requireStoreDir, withLearner } from '../store-access.js';

export const reportCommand: Command = {
  name: 'report',
  summary: 'every task type: ranking, demotion verdicts and the A/B pair',
  positionals: [],
  options: {},
  details: [
    'Models with fewer samples than the ranking needs (3) are listed last, marked "too few samples".',
    'A model is flagged "demote" when even the upper bound of its success rate is below 50%.',
  ],
  examples: ['model-perf report', 'model-perf report --json'],
  async run(context) {
    requireStoreDir(context);
    const report = await withLearner(context, collectReport);
    context.out.result(report, () => formatReport(report, context.out.paint));
  },
};
