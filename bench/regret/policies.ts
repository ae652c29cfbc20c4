import { betaPosterior, probabilityBetaExceeds } from '../../src/core/statistics/beta.js';
import type { ModelLearner } from '../../src/learner/learner.js';
import type { RankedModel } from '../../src/learner/ranking.js';

/** Picks the model for the next dispatch of a task type, from what the learner has recorded so far. */
export interface DispatchPolicy {
  readonly name: string;
  choose(taskType: string, candidates: readonly string[]): Promise<string>;
}

const GUIDE_MIN_SAMPLES = 3;

/**
 * The migration guide's policy. Exploration: a candidate with fewer than 3 recorded outcomes (all time) is
 * dispatched first, the first such in the runtime's candidate order, so each model gets exactly 3 tries
 * before any comparison. Exploitation: the highest all-time raw success rate among models with 3 or more
 * samples (ties: more samples, lower average cost, modelId). It never explores again and never forgets.
 */
export function guidePolicy(learner: ModelLearner): DispatchPolicy {
  return {
    name: 'raw success rate (guide)',
    async choose(taskType, candidates) {
      const ranked = await learner.getRankedModels(taskType, { strategy: 'raw', minSamples: 0 });
      const samples = new Map(ranked.map((row) => [row.modelId, row.samples]));
      const untried = candidates.find((modelId) => (samples.get(modelId) ?? 0) < GUIDE_MIN_SAMPLES);
      return untried ?? firstOf(ranked).modelId;
    },
  };
}

export interface LearnerPolicySettings {
  /** Each candidate's tries before the learner's statistics take over. */
  coldStartTries: number;
  /** The memory of the ranking and the A/B pair: long enough for tight bounds. */
  rankingWindowDays: number;
  /** The memory of the demotion check: short, so that a regression shows within a day. */
  demotionWindowDays: number;
  demotionThreshold: number;
  /** Confidence of the Wilson bounds the ranking and the A/B pair use. */
  confidence: number;
}

/**
 * Chosen by a sweep on seeds 1001-1040 (cold start 1-3 tries, ranking window 2-4 days, demotion window
 * 0.5-1 day, threshold 0.75-0.8, confidence 0.8-0.95); the acceptance run uses seeds 1-20, which the sweep
 * did not see. Rerun the sweep's seeds with --first-seed 1001 --seeds 40.
 */
export const LEARNER_POLICY_SETTINGS: LearnerPolicySettings = {
  coldStartTries: 2,
  rankingWindowDays: 2,
  demotionWindowDays: 1,
  demotionThreshold: 0.8,
  confidence: 0.95,
};

/**
 * model-perf's policy, built from the learner's answers:
 * 1. Cold start: a candidate with fewer than coldStartTries outcomes is dispatched first, in order.
 * 2. Incumbent: the best model by Wilson lower bound over the ranking window (getRankedModels with
 *    windowDays), then by all-time ranking, skipping every model shouldDemote demotes over the short
 *    demotion window, so that a regressed model is dropped within hours and is retried only when its
 *    demotion window has emptied.
 * 3. A/B trial: the challenger from getABTestCandidates (the highest Wilson upper bound over the window)
 *    gets the dispatch with probability P(challenger's rate > incumbent's) under Beta posteriors: the
 *    probability compare() reports. An under-sampled challenger gets many trials; a challenger that has
 *    been shown worse gets almost none (a Thompson draw between the two).
 */
export function learnerPolicy(
  learner: ModelLearner,
  random: () => number,
  settings: LearnerPolicySettings = LEARNER_POLICY_SETTINGS,
): DispatchPolicy {
  const windowDays = settings.rankingWindowDays;

  async function isDemoted(taskType: string, modelId: string): Promise<boolean> {
    const decision = await learner.shouldDemote(taskType, modelId, {
      windowDays: settings.demotionWindowDays,
      threshold: settings.demotionThreshold,
    });
    return decision.demote;
  }

  async function incumbentOf(taskType: string, allTime: readonly RankedModel[]): Promise<RankedModel> {
    const recent = await learner.getRankedModels(taskType, { windowDays, confidence: settings.confidence });
    for (const model of [...recent, ...allTime]) {
      if (!(await isDemoted(taskType, model.modelId))) return model;
    }
    return firstOf(allTime);
  }

  return {
    name: 'Wilson ranking + A/B trials + demotion (model-perf)',
    async choose(taskType, candidates) {
      const allTime = await learner.getRankedModels(taskType, { minSamples: 0 });
      const samples = new Map(allTime.map((row) => [row.modelId, row.samples]));
      const untried = candidates.find((modelId) => (samples.get(modelId) ?? 0) < settings.coldStartTries);
      if (untried !== undefined) return untried;
      const incumbent = await incumbentOf(taskType, allTime);
      const pair = await learner.getABTestCandidates(taskType, { windowDays, confidence: settings.confidence });
      if (pair === null) return incumbent.modelId;
      const challenger = pair.challenger.modelId === incumbent.modelId ? pair.incumbent : pair.challenger;
      const challengerBetter = probabilityBetaExceeds(
        betaPosterior(challenger.successes, challenger.samples),
        betaPosterior(incumbent.successes, incumbent.samples),
      );
      return random() < challengerBetter ? challenger.modelId : incumbent.modelId;
    },
  };
}

function firstOf(ranked: readonly RankedModel[]): RankedModel {
  const [first] = ranked;
  if (first === undefined) throw new Error('no model has been recorded for this task type yet');
  return first;
}
