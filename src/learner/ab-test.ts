import { compareText } from '../core/stats.js';
import type { ModelStats } from '../core/types.js';
import type { Prior } from './federated.js';
import { compareRanked, type RankedModel, type RankingQuery, toRankedModel } from './ranking.js';

// The numbers in reasons are rounded for people; the decision fields carry the exact values.

export function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

export function bound(value: number): string {
  return value.toFixed(3);
}

export function confidenceLevel(confidence: number): string {
  return `${Number((confidence * 100).toPrecision(6))}%`;
}

/** " in the last 7 days" for a windowed query, nothing for an all-time one. */
export function windowScope(windowDays: number | undefined): string {
  if (windowDays === undefined) return '';
  return ` in the last ${windowDays} ${windowDays === 1 ? 'day' : 'days'}`;
}

export function samplesOf(count: number): string {
  return `${count} ${count === 1 ? 'sample' : 'samples'}`;
}

export interface ABTestCandidates {
  /** The top-ranked model. */
  incumbent: RankedModel;
  /** The other model that could be best: the highest Wilson upper bound, however few its samples. */
  challenger: RankedModel;
  reason: string;
}

/** Most optimistic first; among equals the less tried, since a trial teaches more about it. */
function compareUpperBounds(a: RankedModel, b: RankedModel): number {
  return b.upper - a.upper || a.samples - b.samples || compareText(a.modelId, b.modelId);
}

/**
 * Picks a pair for an A/B trial. Every model with at least one sample takes part: the challenger is
 * chosen by its upper bound, which is high while a model is under-sampled, so a newcomer with 2 of 2
 * gets trials that a ranking by minSamples would never give it. Null with fewer than two such models.
 */
export function pickABTestCandidates(
  taskType: string,
  stats: readonly ModelStats[],
  query: RankingQuery,
  priors: ReadonlyMap<string, Prior> = new Map(),
): ABTestCandidates | null {
  const tried = stats
    .map((model) => toRankedModel(model, query.strategy, query.confidence, priors.get(model.modelId)))
    .filter((model) => model.samples > 0)
    .sort(compareRanked);
  const incumbent = tried.find((model) => model.samples >= query.minSamples) ?? tried[0];
  if (incumbent === undefined) return null;
  const [challenger] = tried.filter((model) => model !== incumbent).sort(compareUpperBounds);
  if (challenger === undefined) return null;
  return { incumbent, challenger, reason: explain(taskType, incumbent, challenger, query) };
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
