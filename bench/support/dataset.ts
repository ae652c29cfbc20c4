import type { OutcomeInput } from '../../src/index.js';
import { seededRandom } from '../../test/support/seeded-random.js';

/**
 * The synthetic history every cached store holds: 10 task types x 20 models = 200 task/model pairs
 * (the size of a busy runtime's legacy file), outcomes spread evenly over the 90 days before
 * REFERENCE_NOW, whatever their number. Deterministic, so that a rebuilt store holds the same outcomes.
 */
const TASK_TYPES: readonly string[] = [
  'execute-task',
  'plan-slice',
  'research-slice',
  'review-diff',
  'write-tests',
  'fix-bug',
  'summarize-log',
  'triage-issue',
  'refactor-module',
  'answer-question',
];

export const MODEL_IDS: readonly string[] = [
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-4.1',
  'o3',
  'o4-mini',
  'claude-opus',
  'claude-sonnet',
  'claude-haiku',
  'gemini-2.5-pro',
  'gemini-2.5-flash',
  'kimi-coding/k2p5',
  'deepseek-v3',
  'deepseek-r1',
  'qwen3-coder',
  'llama-4-maverick',
  'mistral-large',
  'codestral',
  'grok-4',
  'command-r-plus',
  'glm-4.6',
];

export interface Pair {
  taskType: string;
  modelId: string;
}

export const PAIRS: readonly Pair[] = TASK_TYPES.flatMap((taskType) =>
  MODEL_IDS.map((modelId) => ({ taskType, modelId })),
);

/** The "now" of the stored history: trends are asked relative to it, whenever the bench runs. */
export const REFERENCE_NOW = '2026-06-30T12:00:00.000Z';
const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

/** The task type the read cases ask about. */
export const QUERY_TASK = 'review-diff';

/** Each pair's true success rate, fixed by the pair's index so that rankings have a stable order. */
function successRate(pairIndex: number): number {
  return 0.35 + ((pairIndex * 37) % 61) / 100;
}

/** A version-4-shaped UUID from the seeded stream: ids as long as the ones record() makes. */
function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 4 }, () =>
    Math.floor(random() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0'),
  ).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What a runtime knows after one dispatch, without id or timestamp (record() fills those in). */
function dispatchResult(random: () => number, pairIndex: number): OutcomeInput {
  const pair = PAIRS[pairIndex % PAIRS.length];
  if (pair === undefined) throw new Error('the dataset has no pairs');
  const tokensUsed = 500 + Math.floor(random() * 9_500);
  const success = random() < successRate(pairIndex % PAIRS.length);
  // A timeout is a failure: drawn as before, so the data set stays the same, and kept only for failures.
  const timedOut = random() < 0.03;
  const input: OutcomeInput = {
    taskType: pair.taskType,
    modelId: pair.modelId,
    success,
    timeout: !success && timedOut,
    tokensUsed,
    costUsd: Math.round(tokensUsed * 0.3) / 100_000,
  };
  // One runtime in twenty does not measure latency: stored as null, a different code path.
  if (random() >= 0.05) input.latencyMs = 200 + Math.floor(random() * 20_000);
  return input;
}

/** Dispatches run concurrently, so outcomes arrive a little out of time order: up to this much. */
const ARRIVAL_JITTER_MS = 5 * 60_000;

/**
 * Outcomes as a store holds them after `count` dispatches over the history window, with ids and
 * timestamps. Written in time order, give or take the jitter, as a runtime writes them (timestamp =
 * now): in both backends the outcomes of a recent window are then stored together, as in real use.
 */
export function* historicalOutcomes(count: number, seed = 1): Generator<OutcomeInput> {
  const random = seededRandom(seed);
  const end = Date.parse(REFERENCE_NOW);
  const start = end - HISTORY_DAYS * DAY_MS;
  const step = (end - start) / count;
  for (let index = 0; index < count; index += 1) {
    const input = dispatchResult(random, Math.floor(random() * PAIRS.length));
    input.id = seededUuid(random);
    const arrival = start + (index + 1) * step - random() * ARRIVAL_JITTER_MS;
    input.timestamp = new Date(Math.floor(Math.max(start, arrival))).toISOString();
    yield input;
  }
}

/** What the record cases pass: fresh dispatch results, spread over every pair. */
export function liveInputs(count: number, seed: number): OutcomeInput[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => dispatchResult(random, Math.floor(random() * PAIRS.length)));
}

/** The window trend(QUERY_TASK, { days, now: REFERENCE_NOW }) covers: whole UTC days, today included. */
export function trendWindow(days: number): { since: string; until: string } {
  const tomorrow = Date.parse(`${REFERENCE_NOW.slice(0, 10)}T00:00:00.000Z`) + DAY_MS;
  return { since: new Date(tomorrow - days * DAY_MS).toISOString(), until: new Date(tomorrow).toISOString() };
}
