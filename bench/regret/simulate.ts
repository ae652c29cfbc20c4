import { silentLogger } from '../../src/core/logger.js';
import type { PerformanceStore } from '../../src/core/store.js';
import { ModelLearner } from '../../src/learner/learner.js';
import type { DispatchPolicy } from './policies.js';
import {
  bestRate,
  candidatesOf,
  costOf,
  DAY_MS,
  DEGRADATION_DAY,
  DEGRADED_MODEL,
  START,
  scenario,
  tasksLedByDegradedModel,
  trueRate,
} from './world.js';

export interface RunResult {
  /** The sum over dispatches of (best true rate - chosen model's true rate): expected successes lost. */
  regret: number;
  /**
   * Days from the degradation to the end of the last day on which the degraded model still got most of
   * a task type's dispatches, averaged over the task types it used to lead; 0 when it lost its majority
   * on the very first day.
   */
  daysToAbandon: number;
}

/** Tallies, per task type and day, how many dispatches went to the degraded model. */
class DegradedShare {
  readonly #days = new Map<string, { dispatches: number; degraded: number }>();

  add(taskType: string, time: number, modelId: string): void {
    const day = Math.floor((time - START) / DAY_MS);
    if (day < DEGRADATION_DAY) return;
    const key = `${taskType}\u0000${day}`;
    const tally = this.#days.get(key) ?? { dispatches: 0, degraded: 0 };
    tally.dispatches += 1;
    if (modelId === DEGRADED_MODEL) tally.degraded += 1;
    this.#days.set(key, tally);
  }

  daysToAbandon(taskType: string): number {
    let lastMajorityDay = DEGRADATION_DAY - 1;
    for (const [key, { dispatches, degraded }] of this.#days) {
      const [task, day] = key.split('\u0000');
      if (task === taskType && degraded * 2 > dispatches) lastMajorityDay = Math.max(lastMajorityDay, Number(day));
    }
    return lastMajorityDay + 1 - DEGRADATION_DAY;
  }
}

/**
 * Runs one seed's dispatches through a policy: the policy picks a model, the seed's draw decides the
 * outcome against that model's true rate, and the learner records it on the store at the simulated time.
 */
export async function simulate(
  seed: number,
  store: PerformanceStore,
  makePolicy: (learner: ModelLearner) => DispatchPolicy,
): Promise<RunResult> {
  let now = START;
  const learner = new ModelLearner(store, { now: () => new Date(now), logger: silentLogger });
  const policy = makePolicy(learner);
  const share = new DegradedShare();
  let regret = 0;
  for (const { time, taskType, draw } of scenario(seed)) {
    now = time;
    const modelId = await policy.choose(taskType, candidatesOf(taskType));
    const rate = trueRate(taskType, modelId, time);
    regret += bestRate(taskType, time) - rate;
    share.add(taskType, time, modelId);
    const recorded = await learner.recordOutcome(taskType, modelId, {
      success: draw < rate,
      costUsd: costOf(taskType, modelId),
    });
    if (!recorded) throw new Error(`the store did not record a dispatch of ${modelId} on ${taskType}`);
  }
  const led = tasksLedByDegradedModel();
  const daysToAbandon = led.reduce((sum, taskType) => sum + share.daysToAbandon(taskType), 0) / led.length;
  return { regret, daysToAbandon };
}
