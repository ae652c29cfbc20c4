import { type Comparison, isValidName, type ModelLearner, parseTimeInput, type Significance } from '../../index.js';
import { definedOnly } from '../arguments.js';
import type { Command } from '../command.js';
import { usageError } from '../errors.js';
import { formatCount, formatPercent, formatTimestamp } from '../format.js';
import { requireKnownModels, requireKnownTask, taskTypeArgument } from '../known-names.js';
import type { Painter } from '../output.js';
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

function formatComparison(comparison: Comparison, pair: string[] | null, paint: Painter): string[] {
  const period = `${formatTimestamp(comparison.since)} to ${comparison.until === null ? 'now' : formatTimestamp(comparison.until)} UTC`;
  const which = pair === null ? '' : ` between the A/B pair ${pair.join(' and ')}`;
  if (comparison.models.length === 0) return [`No trials${which} from ${period}.`];
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
  const heading =
    pair === null ? period : `${period}: the A/B pair \`model-perf report\` names (--models to choose others)`;
  return [paint('dim', heading), ...table, '', conclusion];
}

function timeOption(value: string, name: string, now: Date): string {
  const time = parseTimeInput(value, now);
  if (time === undefined) {
    throw usageError(
      `--${name} expects a date (2026-01-05), a time (2026-01-05T10:00Z) or an age (7d, 24h), got ${JSON.stringify(value)}`,
      'ab',
    );
  }
  return time;
}

/**
 * The pair to compare: --models, else the A/B pair the report names, else (no pair yet, or a stored name
 * that would not pass as a query: the store dir is untrusted) every model.
 */
async function chosenModels(learner: ModelLearner, taskType: string, given: string[] | undefined) {
  if (given !== undefined) {
    await requireKnownModels(learner.store, taskType, given);
    return { models: given, pair: null };
  }
  const candidates = await learner.getABTestCandidates(taskType);
  if (candidates === null) return { models: undefined, pair: null };
  const pair = [candidates.incumbent.modelId, candidates.challenger.modelId];
  if (!pair.every(isValidName)) return { models: undefined, pair: null };
  return { models: pair, pair };
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
      description: 'compare these models (default: the A/B pair `model-perf report` names)',
    },
  },
  details: [
    'The two best are tested with a two-proportion z-test; P(better) is from Beta posteriors of both rates.',
    "A trial is one dispatch in the period and a win one that succeeded (as in the library's compare());",
    'rank and report count samples and successes over all time (or --window-days).',
  ],
  examples: [
    'model-perf ab execute-task --since 7d',
    'model-perf ab plan-slice --since 2026-01-05 --models gpt-4o,claude-opus',
  ],
  async run(context) {
    const { args, out } = context;
    const taskType = await taskTypeArgument(context);
    const now = new Date();
    const since = timeOption(args.string('since') ?? DEFAULT_SINCE, 'since', now);
    const untilText = args.string('until');
    const until = untilText === undefined ? undefined : timeOption(untilText, 'until', now);
    if (until !== undefined && until < since) {
      throw usageError(`--until (${untilText}) is before --since (${args.string('since') ?? DEFAULT_SINCE})`, 'ab');
    }
    const given = args.list('models');
    requireStoreDir(context);
    const { comparison, pair } = await withLearner(context, async (learner) => {
      await requireKnownTask(learner.store, taskType);
      const { models, pair } = await chosenModels(learner, taskType, given);
      const result = await learner.compare(taskType, { since, ...definedOnly({ until, models }) });
      return { comparison: result, pair };
    });
    out.result({ taskType, abPair: pair, ...comparison }, () => formatComparison(comparison, pair, out.paint));
  },
};
