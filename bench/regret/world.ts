import { seededRandom } from '../../test/support/seeded-random.js';

export const DAY_MS = 86_400_000;
export const DISPATCHES = 1000;
export const SIMULATED_DAYS = 20;
/** The degraded model turns bad at the start of this day, halfway through the run. */
export const DEGRADATION_DAY = 10;
export const START = Date.parse('2026-01-01T00:00:00.000Z');

interface SimulatedModel {
  modelId: string;
  /** True success rate before the degradation day. */
  rate: number;
  /** True success rate from the degradation day on, when it changes. */
  degradedRate?: number;
  costUsd: number;
}

/**
 * Three task types, eight models each, with known true success rates. The model listed first for a task is
 * not its best, so that trying models "in order" is no hint. Halfway through, m3 degrades on every task
 * type at once, as after a provider regression: on execute-task (0.92 -> 0.45; m5 at 0.86 is then best)
 * and review-diff (0.95 -> 0.50; m2 at 0.90) it was the best model, on plan-slice (0.79 -> 0.40) it was not.
 */
const TASKS: Readonly<Record<string, readonly SimulatedModel[]>> = {
  'execute-task': [
    { modelId: 'm1', rate: 0.62, costUsd: 0.004 },
    { modelId: 'm2', rate: 0.78, costUsd: 0.01 },
    { modelId: 'm3', rate: 0.92, degradedRate: 0.45, costUsd: 0.03 },
    { modelId: 'm4', rate: 0.55, costUsd: 0.002 },
    { modelId: 'm5', rate: 0.86, costUsd: 0.02 },
    { modelId: 'm6', rate: 0.7, costUsd: 0.006 },
    { modelId: 'm7', rate: 0.81, costUsd: 0.015 },
    { modelId: 'm8', rate: 0.4, costUsd: 0.001 },
  ],
  'plan-slice': [
    { modelId: 'm1', rate: 0.66, costUsd: 0.004 },
    { modelId: 'm2', rate: 0.84, costUsd: 0.01 },
    { modelId: 'm3', rate: 0.79, degradedRate: 0.4, costUsd: 0.03 },
    { modelId: 'm4', rate: 0.5, costUsd: 0.002 },
    { modelId: 'm5', rate: 0.89, costUsd: 0.02 },
    { modelId: 'm6', rate: 0.72, costUsd: 0.006 },
    { modelId: 'm7', rate: 0.35, costUsd: 0.015 },
    { modelId: 'm8', rate: 0.6, costUsd: 0.001 },
  ],
  'review-diff': [
    { modelId: 'm1', rate: 0.7, costUsd: 0.004 },
    { modelId: 'm2', rate: 0.9, costUsd: 0.01 },
    { modelId: 'm3', rate: 0.95, degradedRate: 0.5, costUsd: 0.03 },
    { modelId: 'm4', rate: 0.65, costUsd: 0.002 },
    { modelId: 'm5', rate: 0.86, costUsd: 0.02 },
    { modelId: 'm6', rate: 0.5, costUsd: 0.006 },
    { modelId: 'm7', rate: 0.8, costUsd: 0.015 },
    { modelId: 'm8', rate: 0.3, costUsd: 0.001 },
  ],
};

export const TASK_TYPES = Object.keys(TASKS);
export const DEGRADED_MODEL = 'm3';

function modelsOf(taskType: string): readonly SimulatedModel[] {
  const models = TASKS[taskType];
  if (models === undefined) throw new Error(`unknown simulated task type ${taskType}`);
  return models;
}

export function candidatesOf(taskType: string): string[] {
  return modelsOf(taskType).map((model) => model.modelId);
}

function modelOf(taskType: string, modelId: string): SimulatedModel {
  const model = modelsOf(taskType).find((candidate) => candidate.modelId === modelId);
  if (model === undefined) throw new Error(`unknown simulated model ${modelId} for ${taskType}`);
  return model;
}

export function trueRate(taskType: string, modelId: string, time: number): number {
  const model = modelOf(taskType, modelId);
  const degraded = time >= START + DEGRADATION_DAY * DAY_MS;
  return degraded && model.degradedRate !== undefined ? model.degradedRate : model.rate;
}

export function bestRate(taskType: string, time: number): number {
  return Math.max(...candidatesOf(taskType).map((modelId) => trueRate(taskType, modelId, time)));
}

/** The task types on which the degraded model was the best before it degraded. */
export function tasksLedByDegradedModel(): string[] {
  return TASK_TYPES.filter((taskType) => trueRate(taskType, DEGRADED_MODEL, START) === bestRate(taskType, START));
}

export function costOf(taskType: string, modelId: string): number {
  return modelOf(taskType, modelId).costUsd;
}

export interface Dispatch {
  time: number;
  taskType: string;
  /** Uniform in [0, 1): the dispatch succeeds when it is below the chosen model's true rate. */
  draw: number;
}

/**
 * The dispatches of one seed, evenly spaced over the simulated days. Every policy sees the same tasks and
 * the same draws (common random numbers), so their difference in regret is their choices, not luck.
 */
export function scenario(seed: number): Dispatch[] {
  const random = seededRandom(seed);
  const spacing = (SIMULATED_DAYS * DAY_MS) / DISPATCHES;
  return Array.from({ length: DISPATCHES }, (_, index) => ({
    time: START + index * spacing,
    taskType: TASK_TYPES[Math.floor(random() * TASK_TYPES.length)] ?? 'execute-task',
    draw: random(),
  }));
}
