import { createHash } from 'node:crypto';
import { ModelPerfError } from '../core/errors.js';
import { twoProportionZTest } from '../core/statistics/two-proportion.js';
import type { ModelStats } from '../core/types.js';
import { isValidName } from '../core/validation.js';
import type { ModelLearner, TrendPoint } from '../learner/index.js';
import type { DashboardData, DriftFlag, TaskDashboard, TrendChartData, TrendSeries } from './dashboard-data.js';

export interface CollectOptions {
  /** UTC days of the trend, today included. Default 30. */
  days?: number;
  /** Where "today" is for the trend and the recent window. Default: the learner's clock. */
  now?: Date | string;
}

/** The recent window: a week smooths a few samples a day, and is short enough to show a change soon. */
export const RECENT_DAYS = 7;

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
  // A stored name that would not pass as input (the store dir is untrusted) is not queried; its rows stay in the store.
  const taskTypes = [...new Set(stats.map((entry) => entry.taskType))].filter(isValidName);
  const recentDays = Math.min(RECENT_DAYS, days);
  const tasks = await Promise.all(
    taskTypes.map((taskType) => collectTask(learner, taskType, { days, now }, recentDays)),
  );
  const { backend, dir } = learner.store.info;
  return { version: dataVersion(stats), days, recentDays, store: { backend, dir }, tasks };
}

async function collectTask(
  learner: ModelLearner,
  taskType: string,
  { days, now }: { days: number; now: Date | string | undefined },
  recentDays: number,
): Promise<TaskDashboard> {
  // The trend is read recentDays - 1 days further back, so that the first day shown has a full rolling window.
  const leadIn = recentDays - 1;
  const [ranked, gated, abTest, trend] = await Promise.all([
    // minSamples 1 so that every model with an outcome shows; the default ranking tells which pass its gate.
    // 'wilson' said outright: the page tells the reader it sorts by the lower bound.
    learner.getRankedModels(taskType, { minSamples: 1, strategy: 'wilson' }),
    learner.getRankedModels(taskType, { strategy: 'wilson' }),
    learner.getABTestCandidates(taskType),
    learner.trend(taskType, now === undefined ? { days: days + leadIn } : { days: days + leadIn, now }),
  ]);
  const daily = dailyCounts(trend, leadIn);
  const chart = toTrendChart(daily, recentDays, leadIn);
  const recent = new Map([...daily.models].map(([modelId, counts]) => [modelId, lastDays(counts, recentDays)]));
  const passing = new Set(gated.map((model) => model.modelId));
  const pBest = await chancesOfBeingBest(
    learner,
    taskType,
    ranked.map((model) => model.modelId),
  );
  const demotions = await Promise.all(
    ranked.map(async ({ modelId }) => {
      if (!isValidName(modelId))
        return { modelId, demote: false, reason: 'not judged: its stored name is not a valid model id' };
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
      recent: recent.get(model.modelId) ?? { samples: 0, successes: 0 },
      drift: driftOf(daily, model),
      pBest: pBest.get(model.modelId) ?? 0,
    })),
    demotions,
    abTest:
      abTest === null
        ? null
        : { incumbent: abTest.incumbent.modelId, challenger: abTest.challenger.modelId, reason: abTest.reason },
    trend: chart,
    // A model whose outcomes never gave a cost has no place on a cost axis.
    costPoints: ranked.flatMap(({ modelId, avgCost, successRate, samples }) =>
      avgCost === null ? [] : [{ modelId, avgCost, successRate, samples }],
    ),
  };
}

/**
 * Each model's P(best) from learner.choose() over every model of the task (names that would not pass as
 * input are left out, and get 0). P(best) does not depend on the draw, so any `random` gives the same.
 */
async function chancesOfBeingBest(
  learner: ModelLearner,
  taskType: string,
  modelIds: readonly string[],
): Promise<Map<string, number>> {
  const candidates = modelIds.filter(isValidName);
  if (candidates.length === 0) return new Map();
  const choice = await learner.choose(taskType, candidates, { random: () => 0.5 });
  return new Map(choice.ranking.map((row) => [row.modelId, row.pBest]));
}

interface ModelDays {
  wins: number[];
  attempts: number[];
  rates: Array<number | null>;
}

/** The trend's days (lead-in included) and each model's counts on them, aligned. */
interface Daily {
  days: string[];
  models: Map<string, ModelDays>;
}

function dailyCounts(points: readonly TrendPoint[], leadIn: number): Daily & { leadIn: number } {
  const days = [...new Set(points.map((point) => point.day))];
  const models = new Map<string, ModelDays>();
  for (const point of points) {
    let counts = models.get(point.modelId);
    if (counts === undefined) {
      counts = { wins: [], attempts: [], rates: [] };
      models.set(point.modelId, counts);
    }
    counts.wins.push(point.wins);
    counts.attempts.push(point.attempts);
    counts.rates.push(point.successRate);
  }
  return { days, models, leadIn };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** A model's wins and attempts over the last `days` days. */
function lastDays(counts: ModelDays, days: number): Counts {
  return { samples: sum(counts.attempts.slice(-days)), successes: sum(counts.wins.slice(-days)) };
}

/** The drift check over the days shown (not the lead-in), against the model's all-time counts. */
function driftOf(daily: Daily & { leadIn: number }, model: Counts & { modelId: string }) {
  const counts = daily.models.get(model.modelId);
  if (counts === undefined) return null;
  const { leadIn } = daily;
  return detectDrift(
    { days: daily.days.slice(leadIn), wins: counts.wins.slice(leadIn), attempts: counts.attempts.slice(leadIn) },
    model,
  );
}

/** Sums of the `width` values ending at each index. */
function rollingSums(values: readonly number[], width: number): number[] {
  let total = 0;
  return values.map((value, index) => {
    total += value - (index >= width ? (values[index - width] ?? 0) : 0);
    return total;
  });
}

/**
 * One aligned series per model, with the rolling rate over `width` days; the first `leadIn` days only
 * feed the rolling rate and are not shown. A model without an attempt on the days shown has no series.
 */
function toTrendChart(daily: Daily, width: number, leadIn: number): TrendChartData {
  const series: TrendSeries[] = [];
  for (const [modelId, { wins, attempts, rates }] of daily.models) {
    const shownAttempts = attempts.slice(leadIn);
    if (!shownAttempts.some((count) => count > 0)) continue;
    const rollingWins = rollingSums(wins, width).slice(leadIn);
    const rollingAttempts = rollingSums(attempts, width).slice(leadIn);
    series.push({
      modelId,
      successRates: rates.slice(leadIn),
      attempts: shownAttempts,
      rollingRates: rollingAttempts.map((count, index) => (count === 0 ? null : (rollingWins[index] ?? 0) / count)),
      rollingAttempts,
    });
  }
  return { days: daily.days.slice(leadIn), series };
}

/**
 * A short token of the store's aggregates: every recorded outcome changes a count and lastUsed, so the
 * token changes with the data, and a served page compares tokens to know when to reload.
 */
export function dataVersion(stats: readonly ModelStats[]): string {
  return createHash('sha256').update(JSON.stringify(stats)).digest('base64url').slice(0, 16);
}

/**
 * Below this p-value (divided by the number of days tried) a drop is flagged: strict, since every day of
 * the window is tried as the start of the drop, for every model of every task.
 */
export const DRIFT_P_VALUE = 0.01;
/** Fewer samples than this on either side of the change say too little to flag anything. */
const MIN_SAMPLES = 10;
/** A drop smaller than this (in rate) is not worth a flag, however sure. */
const MIN_DROP = 0.1;

export interface Counts {
  samples: number;
  successes: number;
}

/** One model's outcomes per day of the window, oldest first. */
export interface DailyCounts {
  days: readonly string[];
  wins: readonly number[];
  attempts: readonly number[];
}

/**
 * Whether a model got worse: each day of the window with attempts is tried as the day the change began,
 * comparing everything since it with everything before it (all time, so history before the window
 * counts too) by a two-proportion z-test. The most significant drop is flagged when it passes the
 * threshold, corrected for the number of days tried. A rise is never flagged: it needs no action.
 */
export function detectDrift(daily: DailyCounts, allTime: Counts): DriftFlag | null {
  let best: DriftFlag | null = null;
  let tried = 0;
  let sinceWins = 0;
  let sinceAttempts = 0;
  for (let index = daily.days.length - 1; index >= 0; index -= 1) {
    const attempts = daily.attempts[index] ?? 0;
    sinceWins += daily.wins[index] ?? 0;
    sinceAttempts += attempts;
    if (attempts === 0) continue;
    tried += 1;
    const before = { samples: allTime.samples - sinceAttempts, successes: allTime.successes - sinceWins };
    if (sinceAttempts < MIN_SAMPLES || before.samples < MIN_SAMPLES) continue;
    const recentRate = sinceWins / sinceAttempts;
    const earlierRate = before.successes / before.samples;
    if (earlierRate - recentRate < MIN_DROP) continue;
    const { pValue } = twoProportionZTest(
      { wins: sinceWins, trials: sinceAttempts },
      { wins: before.successes, trials: before.samples },
    );
    if (best === null || pValue < best.pValue) {
      best = {
        since: daily.days[index] ?? '',
        recentRate,
        recentSamples: sinceAttempts,
        earlierRate,
        earlierSamples: before.samples,
        pValue,
      };
    }
  }
  return best !== null && best.pValue < DRIFT_P_VALUE / Math.max(tried, 1) ? best : null;
}
