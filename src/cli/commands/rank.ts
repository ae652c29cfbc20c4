import { DEFAULT_RECENT_DAYS, type RankingOptions, type RankingStrategy, recentRates } from '../../index.js';
import { definedOnly, WHOLE_NUMBER, WINDOW_DAYS } from '../arguments.js';
import type { Command } from '../command.js';
import { requireKnownTask, taskTypeArgument } from '../known-names.js';
import { formatRanking, rankingFootnote } from '../ranking-table.js';
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
      description: `rank on the outcomes of the last N days only (default: all time); the table shows the last N days (default ${DEFAULT_RECENT_DAYS}) next to all time`,
    },
    strategy: {
      type: 'string',
      value: 'NAME',
      description: 'wilson: by the lower bound of the success rate (default); raw: by the rate itself',
    },
    federated: { type: 'boolean', description: 'add the aggregates imported from other installations as a prior' },
  },
  details: [
    'The wilson strategy keeps a lucky model with 3 of 3 below a proven one with 90 of 100.',
    '"drift" flags a model whose success rate in the window differs from its rate before it (two-proportion',
    'test, p < 0.05, at least 5 samples on each side): ↓ it got worse lately, ↑ better.',
  ],
  examples: ['model-perf rank execute-task', 'model-perf rank plan-slice --window-days 7 --min-samples 10 --json'],
  async run(context) {
    const { args, out } = context;
    const taskType = await taskTypeArgument(context);
    const options: RankingOptions = definedOnly({
      minSamples: args.number('min-samples', WHOLE_NUMBER),
      windowDays: args.number('window-days', WINDOW_DAYS),
      strategy: args.choice('strategy', STRATEGIES),
      includeFederated: args.flag('federated'),
    });
    requireStoreDir(context);
    const windowDays = options.windowDays ?? DEFAULT_RECENT_DAYS;
    const { models, recent } = await withLearner(context, async (learner) => {
      await requireKnownTask(learner.store, taskType);
      const [ranked, rates] = await Promise.all([
        learner.getRankedModels(taskType, options),
        recentRates(learner, taskType, windowDays),
      ]);
      return { models: ranked, recent: Object.fromEntries(rates) };
    });
    const view = {
      rates: new Map(Object.entries(recent)),
      windowDays,
      ranksOnWindow: options.windowDays !== undefined,
    };
    out.result({ taskType, options, models, recent }, () =>
      models.length === 0
        ? [`No model of ${taskType} has ${options.minSamples ?? 3} samples or more to rank (see --min-samples).`]
        : [
            ...formatRanking(models, out.paint, { lastUsed: true, recent: view }),
            out.paint('dim', rankingFootnote(view, options.strategy)),
          ],
    );
  },
};
