import type { Outcome } from '../../index.js';

/** The true behaviour of the simulated models: what the learner has to find out from outcomes alone. */

export interface SimulatedTask {
  taskType: string;
  /** Share of the runtime's traffic. */
  share: number;
  /** Tokens a typical call uses. */
  tokens: number;
  /** Added to every model's success probability: planning is harder than summarizing. */
  ease: number;
}

export interface SimulatedModel {
  modelId: string;
  skill: number;
  usdPerThousandTokens: number;
  /** Latency of a typical call of 3,000 tokens. */
  latencyMs: number;
  /** Tokens relative to the task's typical call. */
  verbosity: number;
  /** Task types it is better (or worse) at than its skill says. */
  strengths: Readonly<Record<string, number>>;
}

export const TASKS: readonly [SimulatedTask, ...SimulatedTask[]] = [
  { taskType: 'execute-task', share: 0.4, tokens: 4200, ease: 0 },
  { taskType: 'review-code', share: 0.25, tokens: 3100, ease: -0.03 },
  { taskType: 'plan-slice', share: 0.2, tokens: 2600, ease: -0.08 },
  { taskType: 'summarize', share: 0.15, tokens: 1500, ease: 0.07 },
];

export const MODELS: readonly [SimulatedModel, ...SimulatedModel[]] = [
  {
    modelId: 'claude-opus',
    skill: 0.88,
    usdPerThousandTokens: 0.03,
    latencyMs: 6000,
    verbosity: 1.2,
    strengths: { 'plan-slice': 0.06 },
  },
  {
    modelId: 'claude-sonnet',
    skill: 0.85,
    usdPerThousandTokens: 0.009,
    latencyMs: 3500,
    verbosity: 1,
    strengths: { 'review-code': 0.06 },
  },
  {
    modelId: 'gpt-4o',
    skill: 0.86,
    usdPerThousandTokens: 0.0075,
    latencyMs: 3000,
    verbosity: 1,
    strengths: { 'execute-task': 0.07 },
  },
  {
    modelId: 'gpt-4o-mini',
    skill: 0.72,
    usdPerThousandTokens: 0.0005,
    latencyMs: 1600,
    verbosity: 0.9,
    strengths: { summarize: 0.12 },
  },
  {
    modelId: 'gemini-pro',
    skill: 0.8,
    usdPerThousandTokens: 0.004,
    latencyMs: 3500,
    verbosity: 1.1,
    strengths: { summarize: 0.08 },
  },
  {
    modelId: 'gemini-flash',
    skill: 0.66,
    usdPerThousandTokens: 0.0004,
    latencyMs: 1000,
    verbosity: 0.8,
    strengths: {},
  },
  {
    modelId: 'llama-70b',
    skill: 0.6,
    usdPerThousandTokens: 0.0009,
    latencyMs: 2500,
    verbosity: 1,
    strengths: { 'plan-slice': -0.1 },
  },
  {
    modelId: 'mistral-large',
    skill: 0.76,
    usdPerThousandTokens: 0.003,
    latencyMs: 2800,
    verbosity: 1,
    strengths: { 'execute-task': 0.03 },
  },
];

const MODELS_BY_ID = new Map(MODELS.map((model) => [model.modelId, model]));

export function modelNamed(modelId: string | undefined): SimulatedModel | undefined {
  return modelId === undefined ? undefined : MODELS_BY_ID.get(modelId);
}

/** Halfway through, a provider-side change makes one strong model much worse: the runtime must notice. */
export const DEGRADATION = { modelId: 'gpt-4o', fromDay: 15, drop: 0.35 } as const;

/** A call that runs this long is cut off: a timeout, and a failure. */
const TIMEOUT_MS = 60_000;

/** A simulated dispatch measures everything: its tokens, cost and latency are never unknown. */
export interface Attempt extends Pick<Outcome, 'success' | 'timeout'> {
  tokensUsed: number;
  costUsd: number;
  latencyMs: number;
}

export function successProbability(task: SimulatedTask, model: SimulatedModel, day: number): number {
  const degraded = model.modelId === DEGRADATION.modelId && day >= DEGRADATION.fromDay ? DEGRADATION.drop : 0;
  const probability = model.skill + task.ease + (model.strengths[task.taskType] ?? 0) - degraded;
  return Math.min(0.98, Math.max(0.02, probability));
}

/** One dispatch of `task` to `model` on simulated day `day`. */
export function attempt(task: SimulatedTask, model: SimulatedModel, day: number, random: () => number): Attempt {
  const success = random() < successProbability(task, model, day);
  // Slow models time out more often: a failure is a timeout with a chance that grows with latency.
  const timeout = !success && random() < model.latencyMs / 30_000;
  const tokensUsed = Math.round(jitter(random, task.tokens * model.verbosity, 0.3));
  const latencyMs = timeout ? TIMEOUT_MS : Math.round(jitter(random, (model.latencyMs * task.tokens) / 3000, 0.4));
  const costUsd = (tokensUsed / 1000) * model.usdPerThousandTokens;
  return { success, timeout, tokensUsed, costUsd, latencyMs };
}

/** Picks a task type by its share of the traffic. */
export function pickTask(random: () => number): SimulatedTask {
  let remaining = random();
  // Rounding may leave a sliver past the last share: it goes to the last task.
  let picked = TASKS[0];
  for (const task of TASKS) {
    picked = task;
    if (remaining < task.share) break;
    remaining -= task.share;
  }
  return picked;
}

/** Mulberry32: a small seeded PRNG, so that the same seed replays the same simulation exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A value spread uniformly around `center`, ±spread of it: noisy but never negative for spread < 1. */
export function jitter(random: () => number, center: number, spread: number): number {
  return center * (1 - spread + 2 * spread * random());
}
