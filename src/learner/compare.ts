import { betaPosterior, probabilityBetaExceeds } from '../core/statistics/beta.js';
import { twoProportionZTest } from '../core/statistics/two-proportion.js';
import { averageOf, compareText } from '../core/stats.js';
import { checkTimeRange } from '../core/time-input.js';
import type { SummaryRow } from '../core/types.js';
import { modelIdOf } from './model-stats-source.js';
import { OptionReader } from './option-reader.js';

export interface CompareOptions {
  /** Inclusive start of the comparison, typically when the A/B trial began: a date, or an age such as 7d. Required. */
  since: Date | string;
  /** Exclusive end. Default: no end. */
  until?: Date | string;
  /** Compare only these models. Default: every model with trials in the period. */
  models?: readonly string[];
}

export interface CompareQuery {
  since: string;
  until: string | undefined;
  models: string[] | undefined;
}

export interface ModelComparison {
  modelId: string;
  trials: number;
  wins: number;
  timeouts: number;
  successRate: number;
  /** Averages over the trials that carried a value; null when none did. */
  avgTokens: number | null;
  avgCost: number | null;
  /** null when no outcome measured latency. */
  avgLatencyMs: number | null;
}

/** How sure the data is that the leader beats the runner-up. */
export interface Significance {
  leader: string;
  runnerUp: string;
  /** Pooled two-proportion z statistic, positive when the leader's rate is higher. */
  z: number;
  /** Two-sided p-value of the z-test. */
  pValue: number;
  /** P(leader's true rate > runner-up's) under Beta(1 + wins, 1 + losses) posteriors. */
  probabilityLeaderBetter: number;
}

export interface Comparison {
  since: string;
  until: string | null;
  /** Highest success rate first, then more trials, then modelId. */
  models: ModelComparison[];
  /** For the first two models; null with fewer than two. */
  significance: Significance | null;
}

const COMPARE_KEYS = ['since', 'until', 'models'] as const;

export function readCompareOptions(options: unknown): CompareQuery {
  const reader = new OptionReader(options, COMPARE_KEYS, 'MP_INVALID_QUERY');
  const since = reader.requiredTime('since');
  const until = reader.optionalTime('until');
  checkTimeRange(since, until, 'MP_INVALID_QUERY');
  return { since, until, models: reader.optionalNames('models') };
}

function toComparison(row: SummaryRow): ModelComparison {
  return {
    modelId: modelIdOf(row),
    trials: row.trials,
    wins: row.wins,
    timeouts: row.timeouts,
    successRate: row.wins / row.trials,
    avgTokens: averageOf(row.totalTokens, row.tokenSamples),
    avgCost: averageOf(row.totalCost, row.costSamples),
    avgLatencyMs: averageOf(row.totalLatencyMs, row.latencySamples),
  };
}

function compareResults(a: ModelComparison, b: ModelComparison): number {
  return b.successRate - a.successRate || b.trials - a.trials || compareText(a.modelId, b.modelId);
}

function significanceOf(leader: ModelComparison, runnerUp: ModelComparison): Significance {
  const { z, pValue } = twoProportionZTest(leader, runnerUp);
  return {
    leader: leader.modelId,
    runnerUp: runnerUp.modelId,
    z,
    pValue,
    probabilityLeaderBetter: probabilityBetaExceeds(
      betaPosterior(leader.wins, leader.trials),
      betaPosterior(runnerUp.wins, runnerUp.trials),
    ),
  };
}

/** Builds the A/B report from summarize rows grouped by model (each has at least one trial). */
export function buildComparison(rows: readonly SummaryRow[], query: CompareQuery): Comparison {
  const models = rows.map(toComparison).sort(compareResults);
  const [leader, runnerUp] = models;
  return {
    since: query.since,
    until: query.until ?? null,
    models,
    significance: leader !== undefined && runnerUp !== undefined ? significanceOf(leader, runnerUp) : null,
  };
}
