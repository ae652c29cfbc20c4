import type { RankedModel } from '../learner/index.js';

/**
 * Everything the dashboard draws, as plain JSON-serialisable data: collectDashboardData gathers it from a
 * learner, renderDashboard turns it into HTML, and a caller may store or ship it in between.
 */
export interface DashboardData {
  /** Changes whenever the store's aggregates change (see dataVersion). */
  version: string;
  /** Length of the trend window in UTC days, today included. */
  days: number;
  /** Length of the recent window (the last UTC days, today included): the rolling rate and the recent counts. */
  recentDays: number;
  store: { backend: string; dir: string };
  /** Sorted by task type. Empty when the store has no outcomes yet. */
  tasks: TaskDashboard[];
}

export interface TaskDashboard {
  taskType: string;
  /** Every model with a sample, best first by the learner's ranking. */
  ranking: RankingRow[];
  /** One decision per model, in ranking order. */
  demotions: DemotionFlag[];
  abTest: ABTestPair | null;
  trend: TrendChartData;
  costPoints: CostPoint[];
}

/** A model of the learner's ranking, with its Wilson bounds, and what the page adds to it. */
export interface RankingRow extends Pick<RankedModel, 'modelId' | 'samples' | 'successRate' | 'lower' | 'upper'> {
  /** 1-based position in the learner's ranking. */
  rank: number;
  /** True when the model has the samples the learner's default ranking requires. */
  meetsGate: boolean;
  /** Its outcomes in the recent window; samples 0 when it had none. */
  recent: { samples: number; successes: number };
  /** Set when its success rate since some day of the trend window is significantly below its rate before. */
  drift: DriftFlag | null;
  /** The chance it is the best of the task's models, as learner.choose() weighs them (recent drift included). */
  pBest: number;
}

/** A model that got worse: its outcomes since a day of the window against all before it (see detectDrift in collect.ts). */
export interface DriftFlag {
  /** The UTC day (YYYY-MM-DD) the drop began: the most significant split of the window. */
  since: string;
  /** The success rate and samples since that day. */
  recentRate: number;
  recentSamples: number;
  earlierRate: number;
  earlierSamples: number;
  /** Two-sided p-value of the difference. */
  pValue: number;
}

export interface DemotionFlag {
  modelId: string;
  demote: boolean;
  /** The learner's sentence with the numbers behind the decision. */
  reason: string;
}

export interface ABTestPair {
  incumbent: string;
  challenger: string;
  reason: string;
}

export interface TrendChartData {
  /** Every UTC day of the window, oldest first; empty when nothing was attempted in it. */
  days: string[];
  series: TrendSeries[];
}

export interface TrendSeries {
  modelId: string;
  /** One value per entry of `days`: null on a day without attempts. */
  successRates: Array<number | null>;
  attempts: number[];
  /**
   * The success rate over the recent window ending on each day (wins over attempts of those days), null
   * when there was no attempt in it: a few samples a day give a readable line instead of 0%/100% jumps.
   */
  rollingRates: Array<number | null>;
  /** The attempts behind each rolling rate. */
  rollingAttempts: number[];
}

export interface CostPoint {
  modelId: string;
  avgCost: number;
  successRate: number;
  samples: number;
}
