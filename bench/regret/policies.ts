import { silentLogger } from '../../src/core/logger.js';
import { betaPosterior, probabilityBetaExceeds } from '../../src/core/statistics/beta.js';
import { sampleBeta } from '../../src/core/statistics/posterior.js';
import type { PerformanceStore } from '../../src/core/store.js';
import { type ChoiceTuning, decideChoice } from '../../src/learner/choose-policy.js';
import { ModelLearner } from '../../src/learner/learner.js';
import type { RankedModel } from '../../src/learner/ranking.js';
import { ChoiceStateKeeper } from './state.js';

/**
 * A dispatch policy as a runtime drives it: choose a candidate, dispatch, record the outcome. Async so
 * that a policy can sit on a real store (the old rank + A/B policy does; choose() can).
 */
export interface DispatchPolicy {
  choose(taskType: string, candidates: readonly string[]): Promise<string>;
  record(taskType: string, modelId: string, success: boolean, costUsd: number): Promise<void>;
}

/** Per (task type, model) success and failure counts, all time: what the simple policies remember. */
class Counts {
  readonly #counts = new Map<string, { successes: number; failures: number }>();

  get(taskType: string, modelId: string): { successes: number; failures: number } {
    return this.#counts.get(`${taskType}\u0000${modelId}`) ?? { successes: 0, failures: 0 };
  }

  add(taskType: string, modelId: string, success: boolean): void {
    const { successes, failures } = this.get(taskType, modelId);
    this.#counts.set(`${taskType}\u0000${modelId}`, {
      successes: successes + (success ? 1 : 0),
      failures: failures + (success ? 0 : 1),
    });
  }
}

/** The candidate with the highest score; ties go to the runtime's candidate order. */
function argmax(candidates: readonly string[], score: (modelId: string) => number): string {
  let best = candidates[0] as string;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const modelId of candidates) {
    const value = score(modelId);
    if (value > bestScore) [best, bestScore] = [modelId, value];
  }
  return best;
}

function countingPolicy(pick: (counts: Counts, taskType: string, candidates: readonly string[]) => string) {
  const counts = new Counts();
  return {
    choose: async (taskType: string, candidates: readonly string[]) => pick(counts, taskType, candidates),
    record: async (taskType: string, modelId: string, success: boolean) => counts.add(taskType, modelId, success),
  } satisfies DispatchPolicy;
}

const GUIDE_TRIES = 3;

/** The migration guide: each candidate 3 tries, in order; then the highest all-time raw rate, forever. */
export function rawRatePolicy(): DispatchPolicy {
  return countingPolicy((counts, taskType, candidates) => {
    const samplesOf = (modelId: string) => {
      const { successes, failures } = counts.get(taskType, modelId);
      return successes + failures;
    };
    const untried = candidates.find((modelId) => samplesOf(modelId) < GUIDE_TRIES);
    return untried ?? argmax(candidates, (modelId) => counts.get(taskType, modelId).successes / samplesOf(modelId));
  });
}

/** Thompson sampling with Beta(1, 1) priors on the all-time counts: the 20-line baseline. */
export function thompsonPolicy(random: () => number): DispatchPolicy {
  return countingPolicy((counts, taskType, candidates) =>
    argmax(candidates, (modelId) => {
      const { successes, failures } = counts.get(taskType, modelId);
      return sampleBeta({ alpha: 1 + successes, beta: 1 + failures }, random);
    }),
  );
}

/** UCB1 (Auer, Cesa-Bianchi and Fischer 2002): untried first, then mean + sqrt(2 ln n / n_i). */
export function ucb1Policy(): DispatchPolicy {
  return countingPolicy((counts, taskType, candidates) => {
    const rows = candidates.map((modelId) => counts.get(taskType, modelId));
    const total = rows.reduce((sum, row) => sum + row.successes + row.failures, 0);
    return argmax(candidates, (modelId) => {
      const { successes, failures } = counts.get(taskType, modelId);
      const samples = successes + failures;
      return samples === 0
        ? Number.POSITIVE_INFINITY
        : successes / samples + Math.sqrt((2 * Math.log(total)) / samples);
    });
  });
}

/** choose()'s decision over an in-memory copy of the state the stores keep. */
export function choosePolicy(
  random: () => number,
  options: { minSuccessRate?: number; tuning?: Readonly<ChoiceTuning> } = {},
): DispatchPolicy {
  const state = new ChoiceStateKeeper(options.tuning);
  return {
    async choose(taskType, candidates) {
      const { minSuccessRate, tuning } = options;
      return decideChoice({
        taskType,
        candidates,
        models: state.models(taskType),
        options: { random, ...(minSuccessRate === undefined ? {} : { minSuccessRate }) },
        ...(tuning === undefined ? {} : { tuning }),
      }).modelId;
    },
    async record(taskType, modelId, success, costUsd) {
      state.record(taskType, modelId, success, costUsd);
    },
  };
}

/** learner.choose() on a real store, recording through learner.recordOutcome: the shipped code path. */
export function learnerChoosePolicy(
  store: PerformanceStore,
  now: () => number,
  random: () => number,
  minSuccessRate?: number,
): DispatchPolicy {
  const learner = new ModelLearner(store, { now: () => new Date(now()), logger: silentLogger });
  const options = { random, ...(minSuccessRate === undefined ? {} : { minSuccessRate }) };
  return {
    async choose(taskType, candidates) {
      return (await learner.choose(taskType, candidates, options)).modelId;
    },
    async record(taskType, modelId, success, costUsd) {
      const recorded = await learner.recordOutcome(taskType, modelId, { success, costUsd });
      if (!recorded) throw new Error(`the store did not record a dispatch of ${modelId} on ${taskType}`);
    },
  };
}

export interface OldPolicySettings {
  coldStartTries: number;
  rankingWindowDays: number;
  demotionWindowDays: number;
  demotionThreshold: number;
  confidence: number;
}

/** The settings the README's "37% lower regret" was measured with (tuned on the old bench's one world). */
export const OLD_POLICY_SETTINGS: OldPolicySettings = {
  coldStartTries: 2,
  rankingWindowDays: 2,
  demotionWindowDays: 1,
  demotionThreshold: 0.8,
  confidence: 0.95,
};

/**
 * The old rank + A/B policy, built from a real store through ModelLearner: cold start (coldStartTries
 * per candidate, in order); the incumbent is the best Wilson lower bound over the ranking window, then all
 * time, skipping models shouldDemote demotes over the demotion window; the challenger from
 * getABTestCandidates gets the dispatch with probability P(challenger > incumbent) under Beta posteriors.
 * `now` is the simulated clock.
 */
export function oldLearnerPolicy(
  store: PerformanceStore,
  now: () => number,
  random: () => number,
  settings: OldPolicySettings = OLD_POLICY_SETTINGS,
): DispatchPolicy {
  const learner = new ModelLearner(store, { now: () => new Date(now()), logger: silentLogger });
  const windowDays = settings.rankingWindowDays;
  const isDemoted = async (taskType: string, modelId: string) =>
    (
      await learner.shouldDemote(taskType, modelId, {
        windowDays: settings.demotionWindowDays,
        threshold: settings.demotionThreshold,
      })
    ).demote;

  async function incumbentOf(taskType: string, allTime: readonly RankedModel[]): Promise<RankedModel | undefined> {
    const recent = await learner.getRankedModels(taskType, { windowDays, confidence: settings.confidence });
    for (const model of [...recent, ...allTime]) {
      if (!(await isDemoted(taskType, model.modelId))) return model;
    }
    return allTime[0];
  }

  return {
    async choose(taskType, candidates) {
      const allTime = await learner.getRankedModels(taskType, { minSamples: 0 });
      const samples = new Map(allTime.map((row) => [row.modelId, row.samples]));
      const untried = candidates.find((modelId) => (samples.get(modelId) ?? 0) < settings.coldStartTries);
      if (untried !== undefined) return untried;
      const incumbent = await incumbentOf(taskType, allTime);
      if (incumbent === undefined) return candidates[0] as string;
      const pair = await learner.getABTestCandidates(taskType, { windowDays, confidence: settings.confidence });
      if (pair === null) return incumbent.modelId;
      const challenger = pair.challenger.modelId === incumbent.modelId ? pair.incumbent : pair.challenger;
      const challengerBetter = probabilityBetaExceeds(
        betaPosterior(challenger.successes, challenger.samples),
        betaPosterior(incumbent.successes, incumbent.samples),
      );
      return random() < challengerBetter ? challenger.modelId : incumbent.modelId;
    },
    async record(taskType, modelId, success, costUsd) {
      const recorded = await learner.recordOutcome(taskType, modelId, { success, costUsd });
      if (!recorded) throw new Error(`the store did not record a dispatch of ${modelId} on ${taskType}`);
    },
  };
}
