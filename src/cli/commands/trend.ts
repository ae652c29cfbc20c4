import type { TrendPoint } from '../../index.js';
import { TREND_DAYS } from '../arguments.js';
import type { Command } from '../command.js';
import { formatPercent } from '../format.js';
import { requireKnownTask, taskTypeArgument } from '../known-names.js';
import type { Painter } from '../output.js';
import { rateCell } from '../ranking-table.js';
import { requireStoreDir, withLearner } from '../store-access.js';
import { type Cell, type Column, formatTable } from '../table.js';

const MODEL_COLUMN_WIDTH = 18;
const DEFAULT_DAYS = 30;

function trendCell(point: TrendPoint | undefined): Cell {
  if (point === undefined || point.successRate === null) return { text: '·', style: 'dim' };
  return { ...rateCell(point.successRate), text: `${formatPercent(point.successRate)} (${point.attempts})` };
}

/** One row per UTC day, one column per model: a day's success rate and, in brackets, its attempts. */
function formatTrend(points: readonly TrendPoint[], paint: Painter): string[] {
  const days = [...new Set(points.map((point) => point.day))];
  const models = [...new Set(points.map((point) => point.modelId))];
  const byKey = new Map(points.map((point) => [`${point.day}\u0000${point.modelId}`, point]));
  const columns: Column[] = [
    { header: 'day (UTC)' },
    ...models.map((modelId): Column => ({ header: modelId, align: 'right', maxWidth: MODEL_COLUMN_WIDTH })),
  ];
  const rows = days.map((day) => [day, ...models.map((modelId) => trendCell(byKey.get(`${day}\u0000${modelId}`)))]);
  return [...formatTable(columns, rows, paint), paint('dim', 'success rate (attempts) per day; · no attempts')];
}

export const trendCommand: Command = {
  name: 'trend',
  summary: 'the daily success rate of each model on a task type',
  positionals: [{ name: 'taskType', required: true, description: 'the task type, e.g. execute-task' }],
  options: {
    days: { type: 'string', value: 'N', description: `how many UTC days, today included (default ${DEFAULT_DAYS})` },
  },
  examples: ['model-perf trend execute-task', 'model-perf trend plan-slice --days 7 --json'],
  async run(context) {
    const { args, out } = context;
    const taskType = await taskTypeArgument(context);
    const days = args.number('days', TREND_DAYS) ?? DEFAULT_DAYS;
    requireStoreDir(context);
    const points = await withLearner(context, async (learner) => {
      await requireKnownTask(learner.store, taskType);
      return learner.trend(taskType, { days });
    });
    out.result({ taskType, days, points }, () =>
      points.length === 0 ? [`No outcomes of ${taskType} in the last ${days} days.`] : formatTrend(points, out.paint),
    );
  },
};
