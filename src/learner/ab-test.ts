import { betaPosterior, probabilityBetaExceeds } from '../core/statistics/beta.js';
import { compareText } from '../core/stats.js';
import { type DemotionQuery, decideDemotion } from './demotion.js';
import type { Prior } from './federated.js';
import type { TaskStats } from './model-stats-source.js';
import {
  bound,
  confidenceLevel,
  percent,
  type RankedModel,
  type RankingQuery,
  rankModels,
  samplesOf,
} from './ranking.js';

export interface ABTestCandidates {
  /** The top-ranked model that shouldDemote would not demote. */
  incumbent: RankedModel;
  /** The other model that could be best: the highest Wilson upper bound, however few its samples. */
  challenger: RankedModel;
  /**
   * P(the challenger's success rate is above the incumbent's) under uniform-prior Beta posteriors: the
   * share of dispatches a Thompson-style trial gives the challenger.
   */
  trialProbability: number;
  reason: string;
}

/** Most optimistic first; among equals the less tried, since a trial teaches more about it. */
function compareUpperBounds(a: RankedModel, b: RankedModel): number {
  return b.upper - a.upper || a.samples - b.samples || compareText(a.modelId, b.modelId);
}

/**
 * Picks a pair for an A/B trial. Every model with at least one sample takes part: the challenger is
 * chosen by its upper bound, which is high while a model is under-sampled, so a newcomer with 2 of 2
 * gets trials that a ranking by minSamples would never give it. A model shouldDemote demotes is never
 * the incumbent: defending a model known to be worse wastes the trial. Null without two such models.
 */
export function pickABTestCandidates(
  taskType: string,
  task: TaskStats,
  query: RankingQuery,
  demotion: DemotionQuery,
  priors: ReadonlyMap<string, Prior> = new Map(),
): ABTestCandidates | null {
  const tried = rankModels(task.stats, { ...query, minSamples: 1 }, priors, task.stale);
  const eligible = tried.filter((model) => !decideDemotion(taskType, model.modelId, task, demotion).demote);
  const incumbent = eligible.find((model) => model.samples >= query.minSamples) ?? eligible[0];
  if (incumbent === undefined) return null;
  const [challenger] = tried.filter((model) => model !== incumbent).sort(compareUpperBounds);
  if (challenger === undefined) return null;
  // The exact formula wants whole counts; a capped federated prior can make them fractional.
  const posterior = (model: RankedModel) => betaPosterior(Math.round(model.successes), Math.round(model.samples));
  const trialProbability = probabilityBetaExceeds(posterior(challenger), posterior(incumbent));
  return { incumbent, challenger, trialProbability, reason: explain(taskType, incumbent, challenger, query) };
}

function explain(taskType: string, incumbent: RankedModel, challenger: RankedModel, query: RankingQuery): string {
  const level = confidenceLevel(query.confidence);
  const score =
    query.strategy === 'wilson'
      ? `a ${level} lower bound of ${bound(incumbent.lower)}`
      : `a success rate of ${percent(incumbent.successRate)}`;
  const lead =
    incumbent.samples >= query.minSamples
      ? `${incumbent.modelId} leads ${taskType} with ${score} over ${samplesOf(incumbent.samples)}.`
      : `No model has ${query.minSamples} samples on ${taskType} yet; ${incumbent.modelId} leads provisionally with ${score} over ${samplesOf(incumbent.samples)}.`;
  const challengerBound = `its ${level} upper bound ${bound(challenger.upper)} over ${samplesOf(challenger.samples)}`;
  const verdict =
    challenger.upper > incumbent.lower
      ? `${challenger.modelId} could still be better: ${challengerBound} is above the incumbent's lower bound ${bound(incumbent.lower)}, so it deserves a trial.`
      : `${challenger.modelId} is the most promising of the rest, but ${challengerBound} is not above the incumbent's lower bound ${bound(incumbent.lower)}: a trial is unlikely to change the ranking.`;
  return `${lead} ${verdict}`;
}
