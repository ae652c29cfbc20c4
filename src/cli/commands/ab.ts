import { type Comparison, parseTimeInput, type Significance } from '../../index.js';
import type { Painter } from '../colour.js';
import type { Command } from '../command.js';
import { usageError } from '../errors.js';
import { formatCount, formatPercent } from '../format.js';
import { AVERAGE_COLUMNS, averageCells, rateCell } from '../ranking-table.js';
import { requireStoreDir, withLearner } from '../store-access.js';
import { formatTable } from '../table.js';

const DEFAULT_SINCE = '30d';
const SIGNIFICANCE_LEVEL = 0.05;

function verdict(significance: Significance, paint: Painter): string {
  const numbers = `z = ${significance.z.toFixed(2)}, p = ${significance.pValue.toPrecision(2)}, P(${significance.leader} is better) = ${formatPercent(significance.probabilityLeaderBetter)}`;
  const lead = `${significance.leader} leads ${significance.runnerUp}: ${numbers}`;
  return significance.pValue < SIGNIFICANCE_LEVEL
    ? `${lead}. ${paint('green', `Significant at ${SIGNIFICANCE_LEVEL * 100}%.`)}`
    : `${lead}. ${paint('yellow', 'Not significant yet: keep the trial running.')}`;
}

function formatComparison(comparison: Comparison, paint: Painter): string[] {
  const period = `${comparison.since} to ${comparison.until ?? 'now'}`;
  if (comparison.models.length === 0) return [`No trials between ${period}.`];
  const table = formatTable(
    [
      { header: 'model' },
      { header: 'trials', align: 'right' },
      { header: 'wins', align: 'right' },
      { header: 'success', align: 'right' },
      { header: 'timeouts', align: 'right' },
      ...AVERAGE_COLUMNS,
    ],
    comparison.models.map((model) => [
      model.modelId,
      formatCount(model.trials),
      formatCount(model.wins),
      rateCell(model.successRate),
      formatCount(model.timeouts),
      ...averageCells(model),
    ]),
    paint,
  );
  const conclusion =
    comparison.significance === null
      ? 'Only one model had trials: nothing to compare.'
      : verdict(comparison.significance, paint);
  return [paint('dim', period), ...table, '', conclusion];
}

function timeOption(value: string, name: string, now: Date): string {
  const time = parseTimeInput(value, now);
  if (time === undefined)
    throw usageError(`--${name} expects a date, a time or an age such as 7d, got ${JSON.stringify(value)}`, 'ab');
  return time;
}

export const abCommand: Command = {
  name: 'ab',
  summary: 'compare models on a task type over a period (an A/B trial), with its significance',
  positionals: [{ name: 'taskType', required: true, description: 'the task type, e.g. execute-task' }],
  options: {
    since: {
      type: 'string',
      value: 'WHEN',
      description: `start: a date, a time, or an age such as 7d or 12h (default ${DEFAULT_SINCE})`,
    },
    until: { type: 'string', value: 'WHEN', description: 'end, exclusive (default: now)' },
    models: {
      type: 'string',
      value: 'A,B',
      description: 'compare only these models (default: every model with trials)',
    },
  },
  details: ['The two best are tested with a two-proportion z-test; P(better) is from Beta posteriors of both rates.'],
  examples: [
    'model-perf ab execute-task --since 7d',
    'model-perf ab plan-slice --since 2026-01-05 --models gpt-4o,claude-opus',
  ],
  async run(context) {
    const { args, out } = context;
    const taskType = args.requiredPositional('taskType');
    const now = new Date();
    const since = timeOption(args.string('since') ?? DEFAULT_SINCE, 'since', now);
    const untilText = args.string('until');
    const until = untilText === undefined ? undefined : timeOption(untilText, 'until', now);
    const models = args.list('models');
    requireStoreDir(context);
    const comparison = await withLearner(context, (learner) =>
      learner.compare(taskType, {
        since,
        ...(until === undefined ? {} : { until }),
        ...(models === undefined ? {} : { models }),
      }),
    );
    out.result({ taskType, ...comparison }, () => formatComparison(comparison, out.paint));
  },
};
