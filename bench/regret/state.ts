import { addToRecency, emptyRecency } from '../../src/core/recency.js';
import { CHOICE_TUNING, type ChoiceState, type ChoiceTuning } from '../../src/learner/choose-policy.js';

/**
 * What a store keeps per (task type, model) for choose(), in memory: the all-time counts, the cost, and
 * the decayed counters under exactly the update rule the backends implement. For sweeps at memory speed.
 */
export class ChoiceStateKeeper {
  readonly #tasks = new Map<string, Map<string, ChoiceState>>();
  readonly #tuning: Readonly<ChoiceTuning>;

  constructor(tuning: Readonly<ChoiceTuning> = CHOICE_TUNING) {
    this.#tuning = tuning;
  }

  models(taskType: string): ReadonlyMap<string, ChoiceState> {
    return this.#tasks.get(taskType) ?? new Map();
  }

  record(taskType: string, modelId: string, success: boolean, costUsd: number): void {
    let models = this.#tasks.get(taskType);
    if (models === undefined) {
      models = new Map();
      this.#tasks.set(taskType, models);
    }
    const state = models.get(modelId) ?? { successes: 0, failures: 0, totalCost: 0, costSamples: 0, ...emptyRecency() };
    addToRecency(state, success, this.#tuning.fastDecay, this.#tuning.slowDecay);
    if (success) state.successes += 1;
    else state.failures += 1;
    state.totalCost += costUsd;
    state.costSamples += 1;
    models.set(modelId, state);
  }
}
