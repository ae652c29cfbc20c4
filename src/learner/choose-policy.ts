import { describeValue, ModelPerfError } from '../core/errors.js';
import { FAST_DECAY, type RecencyCounters, SLOW_DECAY } from '../core/recency.js';
import type { BetaDistribution } from '../core/statistics/beta.js';
import { betaMean, probabilityBest, sampleBeta } from '../core/statistics/posterior.js';
import { checkName } from '../core/validation.js';
import type { Prior } from './federated.js';
import { OptionReader } from './option-reader.js';
import { percent } from './ranking.js';

/**
 * The decision before a dispatch: Thompson sampling (Thompson 1933; Chapelle and Li 2011) on per-model
 * Beta posteriors built from exponentially discounted counts (discounted Thompson sampling, Raj and Kalyani
 * 2017), which switch to a short memory when it disagrees with the long one (change detection in the
 * spirit of CUSUM-/GLR-restarted bandits, without storing a window). Pure and deterministic given `random`.
 */

/** The constants of the policy; CHOICE_TUNING is the only one a learner uses. */
export interface ChoiceTuning {
  /**
   * Per-outcome decay of the fast pair: a memory of about 1 / (1 - fastDecay) outcomes of that model. The
   * stores keep the pairs with core/recency.ts's decays; only the tuning sweep tries others.
   */
  fastDecay: number;
  /** Per-outcome decay of the slow pair, the posterior's memory when no drift shows. */
  slowDecay: number;
  /** |fast - slow| above this many standard errors of the fast rate marks drift. */
  driftZ: number;
  /**
   * Thompson draws come from the posterior with its evidence multiplied by this (posterior reshaping,
   * Chapelle and Li 2011): above 1 explores less than plain Thompson sampling; P(best) is unreshaped.
   */
  sharpen: number;
  /**
   * Reshaping applies only to models with at least this many own outcomes, so that a good model unlucky
   * in its first few outcomes keeps the plain posterior's chance of being tried again.
   */
  sharpenFrom: number;
}

/**
 * Chosen on tuning seeds 1001-1040 of bench/regret (`npm run bench:regret -- --sweep`, choose/thompson per
 * world, paired over seeds), never on the reporting seeds 1-30. Without drift and reshaping the draws are
 * plain Thompson sampling's, in the same order from the same `random`, so choose() cannot lose to it in a
 * stationary world by more than the rare false drift alarm; the gains come from drift and reshaping:
 * - fastDecay (memory 30): 15, 30 and 60 did alike; 30 flags a 0.92 -> 0.55 drop within ~20 outcomes
 *   and has a standard error of ~0.07, so driftZ 3 rarely fires by chance.
 * - slowDecay (memory 20,000): with 2,000 the posterior forgot well-sampled models and explored more than
 *   Thompson (15 close 1.08x, stationary 1.00x); 5,000 left 15 close at 1.05x; 20,000 and all-time were
 *   1.00-1.01x everywhere. Drift detection, not the slow memory, handles change (degrading 0.68x).
 * - driftZ 3: 3.5 was within noise (degrading 0.675x against 0.682x) but slower on gradual drift (0.48x
 *   against 0.42x); requiring >= 10 effective fast outcomes changed nothing (the fast pair fills in ~10).
 * - no forced first trial: a forced trial of each new model (the former minTrials 1) desynchronized the
 *   draws and cost up to 9% in the 15-close world; Beta(1, 1) already gives a never-seen model its trials.
 * - sharpen 1.5 from 30 outcomes: stationary 0.89x, low rates 0.85x, unlucky best 0.98x. 2 from 100 gained
 *   less (stationary 0.94x); the earlier sweep's reshaping from the first outcome (1.5-3) doubled the regret
 *   when the best model fails its first 3 outcomes (unlucky-best).
 * Federated priors (includeFederated) come capped by loadPriors (MAX_PRIOR_SAMPLES); no world has any.
 */
export const CHOICE_TUNING: Readonly<ChoiceTuning> = Object.freeze({
  fastDecay: FAST_DECAY,
  slowDecay: SLOW_DECAY,
  driftZ: 3,
  sharpen: 1.5,
  sharpenFrom: 30,
});

export const CHOICE_POLICY = 'discounted-thompson-drift/1';

/** What the policy reads of one model: its stats row (all-time counts, cost) and its decayed counters. */
export interface ChoiceState extends RecencyCounters {
  successes: number;
  failures: number;
  totalCost: number;
  /** Outcomes that carried a cost: totalCost / costSamples is the mean cost per call. */
  costSamples: number;
}

export interface ChoiceOptions {
  random: () => number;
  /** Pick the cheapest candidate whose sampled rate reaches this; none does: the best sample. */
  minSuccessRate?: number;
  /** Leave out candidates whose mean cost per call is above this (unknown cost stays in). */
  maxCostUsd?: number;
}

/** What learner.choose() takes besides the task type and the candidates. */
export interface ChooseOptions {
  /** Uniform in [0, 1): seed it for reproducible decisions. Default Math.random. */
  random?: () => number;
  /** Add other installations' aggregates as a prior, capped (see loadPriors). Default false. */
  includeFederated?: boolean;
  minSuccessRate?: number;
  maxCostUsd?: number;
}

export interface ChooseQuery extends ChoiceOptions {
  includeFederated: boolean;
}

const CHOOSE_KEYS = ['random', 'includeFederated', 'minSuccessRate', 'maxCostUsd'] as const;

/** A runtime dispatches among a handful of models; the cap keeps one call's cost bounded. */
export const MAX_CANDIDATES = 1000;

export function readChooseOptions(options: unknown): ChooseQuery {
  const reader = new OptionReader(options, CHOOSE_KEYS, 'MP_INVALID_QUERY');
  const minSuccessRate = reader.optionalNumber('minSuccessRate', 0, 1);
  const maxCostUsd = reader.optionalNumber('maxCostUsd', 0, Number.MAX_VALUE);
  return {
    random: reader.callable('random', Math.random),
    includeFederated: reader.boolean('includeFederated', false),
    ...(minSuccessRate === undefined ? {} : { minSuccessRate }),
    ...(maxCostUsd === undefined ? {} : { maxCostUsd }),
  };
}

/** The candidates as given: a non-empty list of distinct, valid model ids. */
export function checkCandidates(candidates: unknown): string[] {
  if (!Array.isArray(candidates) || candidates.length === 0 || candidates.length > MAX_CANDIDATES) {
    throw new ModelPerfError(
      'MP_INVALID_QUERY',
      `Invalid candidates: expected an array of 1 to ${MAX_CANDIDATES} model ids, got ${describeValue(candidates)}`,
      { field: 'candidates' },
    );
  }
  const names = candidates.map((name: unknown) => checkName(name, 'candidates', 'MP_INVALID_QUERY'));
  const seen = new Set<string>();
  const duplicate = names.find((name) => seen.size === seen.add(name).size);
  if (duplicate !== undefined) {
    throw new ModelPerfError('MP_INVALID_QUERY', `Invalid candidates: ${JSON.stringify(duplicate)} is listed twice`, {
      field: 'candidates',
    });
  }
  return names;
}

export interface ChoiceInput {
  taskType: string;
  candidates: readonly string[];
  models: ReadonlyMap<string, ChoiceState>;
  priors?: ReadonlyMap<string, Prior>;
  options: ChoiceOptions;
  /** For the regret sweep only. */
  tuning?: Readonly<ChoiceTuning>;
}

export interface RankedChoice {
  modelId: string;
  /** This store's own outcomes (all time). */
  samples: number;
  /** All-time success rate; null before the first outcome. */
  successRate: number | null;
  /** Success rate over the fast memory (~30 outcomes); null before the first outcome. */
  recentRate: number | null;
  /** Mean of the posterior the decision sampled. */
  posteriorMean: number;
  /** P(this model has the highest success rate), from the same posteriors; sums to 1 over candidates. */
  pBest: number;
  /** Mean cost per call; null when no outcome carried a cost. */
  meanCost: number | null;
  /** The recent rate disagrees with the long-run one, so the posterior uses the recent outcomes. */
  drift: boolean;
}

export interface Choice {
  modelId: string;
  reason: string;
  /** The pick is not the model the current estimates would pick without sampling. */
  explored: boolean;
  ranking: RankedChoice[];
  policy: string;
}

interface Assessed {
  row: RankedChoice;
  posterior: BetaDistribution;
  evidence: number;
  index: number;
}

function rateOf(successes: number, failures: number): number | null {
  const total = successes + failures;
  return total > 0 ? successes / total : null;
}

/**
 * The pair's counts plus the outcomes it never saw (legacy baselines, rows older than the counters), at the
 * weight they would have after passing through it first, g^k (1 - g^L) / (1 - g), and the all-time rate.
 */
function filledPair(successes: number, failures: number, state: ChoiceState, decay: number): [number, number] {
  const samples = state.successes + state.failures;
  const missing = Math.max(0, (1 - decay ** samples) / (1 - decay) - successes - failures);
  const rate = rateOf(state.successes, state.failures) ?? 0;
  return [successes + missing * rate, failures + missing * (1 - rate)];
}

function assess(modelId: string, index: number, input: ChoiceInput, tuning: Readonly<ChoiceTuning>): Assessed {
  const state = input.models.get(modelId);
  const prior = input.priors?.get(modelId);
  const [fastS, fastF] = state ? filledPair(state.fastSuccesses, state.fastFailures, state, tuning.fastDecay) : [0, 0];
  const [slowS, slowF] = state ? filledPair(state.slowSuccesses, state.slowFailures, state, tuning.slowDecay) : [0, 0];
  const fastN = fastS + fastF;
  const fastMean = (fastS + 1) / (fastN + 2);
  const slowMean = (slowS + 1) / (slowS + slowF + 2);
  const spread = Math.max(slowMean * (1 - slowMean), 0.01);
  const drift = fastN > 0 && Math.abs(fastMean - slowMean) > tuning.driftZ * Math.sqrt(spread / fastN);
  const [ownS, ownF] = drift ? [fastS, fastF] : [slowS, slowF];
  const priorTotal = prior ? prior.successes + prior.failures : 0;
  const posterior = { alpha: 1 + ownS + (prior?.successes ?? 0), beta: 1 + ownF + (prior?.failures ?? 0) };
  const samples = state ? state.successes + state.failures : 0;
  const row: RankedChoice = {
    modelId,
    samples,
    successRate: state ? rateOf(state.successes, state.failures) : null,
    recentRate: state ? rateOf(state.fastSuccesses, state.fastFailures) : null,
    posteriorMean: betaMean(posterior),
    pBest: 0,
    meanCost: state && state.costSamples > 0 ? state.totalCost / state.costSamples : null,
    drift,
  };
  return { row, posterior, evidence: samples + priorTotal, index };
}

/** Highest value first; ties: more samples, then the runtime's candidate order. */
function byValue(values: ReadonlyMap<Assessed, number>): (a: Assessed, b: Assessed) => number {
  return (a, b) => (values.get(b) ?? 0) - (values.get(a) ?? 0) || b.row.samples - a.row.samples || a.index - b.index;
}

/** Under minSuccessRate: the cheapest model whose value reaches it (unknown cost last), else the highest value. */
function pickBy(models: readonly Assessed[], values: ReadonlyMap<Assessed, number>, minRate?: number): Assessed {
  const ordered = [...models].sort(byValue(values));
  if (minRate !== undefined) {
    const good = ordered.filter((model) => (values.get(model) ?? 0) >= minRate);
    const cheapest = good.sort((a, b) => costRank(a) - costRank(b))[0];
    if (cheapest) return cheapest;
  }
  return ordered[0] as Assessed;
}

function costRank(model: Assessed): number {
  return model.row.meanCost ?? Number.POSITIVE_INFINITY;
}

function describe(pick: Assessed, explored: boolean, minRate: number | undefined, cheapestPick: boolean): string {
  const { modelId, pBest, samples, meanCost, drift } = pick.row;
  const odds = `P(best)=${pBest.toFixed(2)} over ${String(samples).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${samples === 1 ? 'sample' : 'samples'}`;
  const driftNote =
    drift && pick.row.recentRate !== null && pick.row.successRate !== null
      ? `; recent success ${percent(pick.row.recentRate)} differs from all-time ${percent(pick.row.successRate)}, so recent outcomes count`
      : '';
  if (minRate !== undefined && cheapestPick) {
    const cost = meanCost === null ? 'cost unknown' : `$${meanCost.toPrecision(3)} per call`;
    return `${modelId}: cheapest candidate likely above ${percent(minRate)} success (${cost}, ${odds})${driftNote}`;
  }
  const lead = minRate !== undefined ? `no candidate is likely above ${percent(minRate)} success; ` : '';
  return `${lead}${modelId}: ${explored ? 'exploring, ' : ''}${odds}${driftNote}`;
}

function reshaped(model: Assessed, tuning: Readonly<ChoiceTuning>): BetaDistribution {
  const { alpha, beta } = model.posterior;
  if (model.row.samples < tuning.sharpenFrom) return model.posterior;
  return { alpha: 1 + (alpha - 1) * tuning.sharpen, beta: 1 + (beta - 1) * tuning.sharpen };
}

export function decideChoice(input: ChoiceInput): Choice {
  const tuning = input.tuning ?? CHOICE_TUNING;
  const { random, minSuccessRate, maxCostUsd } = input.options;
  const all = input.candidates.map((modelId, index) => assess(modelId, index, input, tuning));
  const pBest = probabilityBest(all.map((model) => model.posterior));
  all.forEach((model, index) => {
    model.row.pBest = pBest[index] ?? 0;
  });
  const ranking = [...all].sort(byValue(new Map(all.map((model) => [model, model.row.pBest])))).map((m) => m.row);
  const result = (pick: Assessed, explored: boolean, reason: string): Choice => ({
    modelId: pick.row.modelId,
    reason,
    explored,
    ranking,
    policy: CHOICE_POLICY,
  });

  let eligible = all;
  if (maxCostUsd !== undefined) {
    eligible = all.filter((model) => model.row.meanCost === null || model.row.meanCost <= maxCostUsd);
    if (eligible.length === 0) {
      const cheapest = [...all].sort((a, b) => costRank(a) - costRank(b) || a.index - b.index)[0] as Assessed;
      const cost = `$${(cheapest.row.meanCost ?? 0).toPrecision(3)}`;
      return result(
        cheapest,
        false,
        `${cheapest.row.modelId}: every candidate costs more than $${maxCostUsd} per call on average; chose the cheapest (${cost})`,
      );
    }
  }

  const means = new Map(eligible.map((model) => [model, model.row.posteriorMean]));
  const draws = new Map(eligible.map((model) => [model, sampleBeta(reshaped(model, tuning), random)]));
  const pick = pickBy(eligible, draws, minSuccessRate);
  const estimate = pickBy(eligible, means, minSuccessRate);
  const cheapestPick = minSuccessRate !== undefined && (draws.get(pick) ?? 0) >= minSuccessRate;
  const explored = pick !== estimate;
  // A never-seen candidate gets its trials from its Beta(1, 1) draw, as in plain Thompson sampling.
  if (pick.evidence === 0) return result(pick, explored, `${pick.row.modelId}: new model, trying it`);
  return result(pick, explored, describe(pick, explored, minSuccessRate, cheapestPick));
}

/**
 * The answer when the store cannot be read: the first candidate, the runtime's own preference, so that
 * a storage failure never blocks a dispatch and the fallback is predictable (list your default first).
 */
export function firstCandidateChoice(candidates: readonly string[], problem: string): Choice {
  const share = 1 / candidates.length;
  const ranking = candidates.map((modelId) => ({
    modelId,
    samples: 0,
    successRate: null,
    recentRate: null,
    posteriorMean: 0.5,
    pBest: share,
    meanCost: null,
    drift: false,
  }));
  const [first = ''] = candidates;
  return {
    modelId: first,
    reason: `${first}: the first candidate, since ${problem}`,
    explored: false,
    ranking,
    policy: CHOICE_POLICY,
  };
}
