import type { RankingOptions, RankingStrategy } from '../../index.js';
import { WHOLE_NUMBER, WINDOW_DAYS } from '../arguments.js';
import type { Command } from '../command.js';
import { definedOnly } from '../defined.js';
import { formatRanking } from '../ranking-table.js';
import { requireStoreDir, withLearner } from '../store-access.js';

const STRATEGIES: readonly RankingStrategy[] = ['wilson', 'raw'];

export const rankCommand: Command = {
  name: 'rank',
  summary: 'rank the models of a task type, best first',
  positionals: [{ name: 'taskType', required: true, description: 'the task type, e.g. execute-task' }],
  options: {
    'min-samples': { type: 'string', value: 'N', description: 'leave out models with fewer samples (default 3)' },
    'window-days': {
      type: 'string',
      value: 'N',
      description: 'count only the outcomes of the last N days (default: all)',
    },
    strategy: {
      type: 'string',
      value: 'NAME',
      description: 'wilson: by the lower bound of the success rate (default); raw: by the rate itself',
    },
    federated: { type: 'boolean', description: 'add the aggregates imported from other installations as a prior' },
  },
  details: ['The wilson strategy keeps a lucky model with 3 of 3 below a proven one with 90 of 100.'],
  examples: ['model-perf rank execute-task', 'model-perf rank plan-slice --window-days 7 --min-samples 10 --json'],
  async run(context) {
    const { args, out } = context;
    const taskType = args.requiredPositional('taskType');
    const options: RankingOptions = definedOnly({
      minSamples: args.number('min-samples', WHOLE_NUMBER),
      windowDays: args.number('window-days', WINDOW_DAYS),
      strategy: args.choice('strategy', STRATEGIES),
      includeFederated: args.flag('federated'),
    });
    requireStoreDir(context);
    const models = await withLearner(context, (learner) => learner.getRankedModels(taskType, options));
    out.result({ taskType, options, models }, () =>
      models.length === 0
        ? [`No model of ${taskType} has enough samples to rank (see --min-samples).`]
        : formatRanking(models, out.paint, { lastUsed: true }),
    );
  },
};
