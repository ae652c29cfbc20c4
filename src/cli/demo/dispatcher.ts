import type { ModelLearner } from '../../index.js';
import { MODELS, modelNamed, type SimulatedModel } from './world.js';

/** What the runtime sends a task type's calls to, until it asks the learner again. */
export interface DispatchPlan {
  incumbent: SimulatedModel | undefined;
  challenger: SimulatedModel | undefined;
}

/** Before the learner knows anything: every call explores. */
export const EXPLORE_ONLY: DispatchPlan = { incumbent: undefined, challenger: undefined };

/** The runtime judges models on recent outcomes only, so that a model that has started to fail loses its place. */
const WINDOW_DAYS = 7;
/** Most calls go to the best model, some to the A/B challenger, the rest anywhere: a model never tried is never learnt. */
const INCUMBENT_SHARE = 0.8;
const CHALLENGER_SHARE = 0.12;

/**
 * Asks the learner as a runtime does before dispatching: the A/B pair is the top of its ranking (the
 * incumbent) and the challenger most worth a trial, so one question gives both.
 */
export async function planDispatch(learner: ModelLearner, taskType: string): Promise<DispatchPlan> {
  const abTest = await learner.getABTestCandidates(taskType, { windowDays: WINDOW_DAYS });
  return { incumbent: modelNamed(abTest?.incumbent.modelId), challenger: modelNamed(abTest?.challenger.modelId) };
}

export function chooseModel(plan: DispatchPlan, random: () => number): SimulatedModel {
  const draw = random();
  if (plan.incumbent !== undefined && draw < INCUMBENT_SHARE) return plan.incumbent;
  if (plan.challenger !== undefined && draw < INCUMBENT_SHARE + CHALLENGER_SHARE) return plan.challenger;
  return MODELS[Math.floor(random() * MODELS.length)] ?? MODELS[0];
}
