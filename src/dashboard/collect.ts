import { ModelPerfError } from '../core/errors.js';
import type { ModelLearner, TrendPoint } from '../learner/index.js';
import type { DashboardData, TaskDashboard, TrendChartData, TrendSeries } from './dashboard-data.js';
import { dataVersion } from './version.js';

export interface CollectOptions {
  /** UTC days of the trend, today included. Default 30. */
  days?: number;
  /** Where "today" is for the trend. Default: the learner's clock. */
  now?: Date | string;
}

/** Per task type of the store: ranking, demotions, A/B pair, daily trend and cost points. */
export async function collectDashboardData(
  learner: ModelLearner,
  { days = 30, now }: CollectOptions = {},
): Promise<DashboardData> {
  // The learner checks the window too, but only when a task exists: an empty store must not hide a typo.
  if (!Number.isInteger(days) || days < 1) {
    throw new ModelPerfError(
      'MP_INVALID_QUERY',
      `Invalid days ${String(days)}: expected a whole number of days, at least 1`,
      {
        field: 'days',
      },
    );
  }
  const stats = await learner.store.listStats();
  const taskTypes = [...new Set(stats.map((entry) => entry.taskType))];
  const trendOptions = now === undefined ? { days } : { days, now };
  const tasks = await Promise.all(taskTypes.map((taskType) => collectTask(learner, taskType, trendOptions)));
  const { backend, dir } = learner.store.info;
  return { version: dataVersion(stats), days, store: { backend, dir }, tasks };
}

async function collectTask(
  learner: ModelLearner,
  taskType: string,
  trendOptions: CollectOptions,
): Promise<TaskDashboard> {
  const [ranked, gated, abTest, trend] = await Promise.all([
    // minSamples 1 so that every model with an outcome shows; the default ranking tells which pass its gate.
    learner.getRankedModels(taskType, { minSamples: 1 }),
    learner.getRankedModels(taskType),
    learner.getABTestCandidates(taskType),
    learner.trend(taskType, trendOptions),
  ]);
  const passing = new Set(gated.map((model) => model.modelId));
  const demotions = await Promise.all(
    ranked.map(async ({ modelId }) => {
      const { demote, reason } = await learner.shouldDemote(taskType, modelId);
      return { modelId, demote, reason };
    }),
  );
  return {
    taskType,
    ranking: ranked.map((model, index) => ({
      rank: index + 1,
      modelId: model.modelId,
      samples: model.samples,
      successRate: model.successRate,
      lower: model.lower,
      upper: model.upper,
      meetsGate: passing.has(model.modelId),
    })),
    demotions,
    abTest:
      abTest === null
        ? null
        : { incumbent: abTest.incumbent.modelId, challenger: abTest.challenger.modelId, reason: abTest.reason },
    trend: toTrendChart(trend),
    // A model whose outcomes never gave a cost has no place on a cost axis.
    costPoints: ranked.flatMap(({ modelId, avgCost, successRate, samples }) =>
      avgCost === null ? [] : [{ modelId, avgCost, successRate, samples }],
    ),
  };
}

/** The learner's flat day-by-model points, regrouped as one aligned series per model. */
function toTrendChart(points: readonly TrendPoint[]): TrendChartData {
  const days = [...new Set(points.map((point) => point.day))];
  const byModel = new Map<string, TrendSeries>();
  for (const point of points) {
    let series = byModel.get(point.modelId);
    if (series === undefined) {
      series = { modelId: point.modelId, successRates: [], attempts: [] };
      byModel.set(point.modelId, series);
    }
    series.successRates.push(point.successRate);
    series.attempts.push(point.attempts);
  }
  return { days, series: [...byModel.values()] };
}
