import { seededRandom } from '../../test/support/seeded-random.js';
import type { DispatchPolicy } from './policies.js';
import { bestRateAt, candidatesAt, modelOf, type World, type WorldEvent } from './worlds.js';

/** Simulated time between dispatches, for the policies that read windows in days. */
export const DISPATCH_SPACING_MS = 30 * 60_000;
export const START = Date.parse('2026-01-01T00:00:00.000Z');

/** A model's share of the next REACTION_WINDOW dispatches of its task type decides a reaction. */
const REACTION_WINDOW = 50;
const DROPPED_BELOW = 0.2;
const ADOPTED_ABOVE = 0.5;

export interface RunResult {
  /** Sum over dispatches of (best candidate's true rate - chosen model's true rate). */
  regret: number;
  successRate: number;
  spendUsd: number;
  /**
   * Per event: dispatches of its task type after the event until the model's share of the next 50 falls
   * below 20% (drop) or rises above 50% (adopt); the dispatches left when it never does (censored).
   */
  reactions: number[];
}

interface Dispatch {
  taskType: string;
  /** The outcome is a success when this uniform draw is below the chosen model's true rate. */
  draw: number;
}

/**
 * The dispatches of one seed: every policy sees the same task types and the same draws (common random
 * numbers), so differences in regret are differences in choices.
 */
function scenario(world: World, seed: number): Dispatch[] {
  const random = seededRandom(seed);
  const taskTypes = Object.keys(world.tasks);
  return Array.from({ length: world.dispatches }, () => ({
    taskType: taskTypes[Math.floor(random() * taskTypes.length)] as string,
    draw: random(),
  }));
}

function reactionTime(event: WorldEvent, picks: readonly (readonly [number, string, string])[]): number {
  const after = picks.filter(([t, taskType]) => t >= event.at && taskType === event.taskType).map(([, , id]) => id);
  for (let start = 0; start + REACTION_WINDOW <= after.length; start += 1) {
    const share = after.slice(start, start + REACTION_WINDOW).filter((id) => id === event.modelId).length;
    const reacted =
      event.kind === 'drop' ? share < DROPPED_BELOW * REACTION_WINDOW : share > ADOPTED_ABOVE * REACTION_WINDOW;
    if (reacted) return start;
  }
  return after.length;
}

/**
 * Runs one seed of a world through a policy, in rounds of world.concurrency choices made from the same
 * state, whose outcomes are recorded after the round. `clock.now` is the simulated time of the dispatch.
 */
export async function simulate(
  world: World,
  seed: number,
  policy: DispatchPolicy,
  clock: { now: number },
): Promise<RunResult> {
  const dispatches = scenario(world, seed);
  const ownDispatches = new Map<string, number>();
  const picks: (readonly [number, string, string])[] = [];
  let regret = 0;
  let successes = 0;
  let spendUsd = 0;
  for (let round = 0; round < dispatches.length; round += world.concurrency) {
    const chosen: { t: number; modelId: string; success: boolean; cost: number; taskType: string }[] = [];
    for (let t = round; t < Math.min(round + world.concurrency, dispatches.length); t += 1) {
      const { taskType, draw } = dispatches[t] as Dispatch;
      clock.now = START + t * DISPATCH_SPACING_MS;
      const modelId = await policy.choose(taskType, candidatesAt(world, taskType, t));
      const model = modelOf(world, taskType, modelId);
      const key = `${taskType}\u0000${modelId}`;
      const count = ownDispatches.get(key) ?? 0;
      ownDispatches.set(key, count + 1);
      const rate = model.rate(t);
      const success = model.scriptedStart?.[count] ?? draw < rate;
      regret += bestRateAt(world, taskType, t) - rate;
      chosen.push({ t, modelId, success, cost: model.costUsd, taskType });
      picks.push([t, taskType, modelId]);
    }
    for (const { t, modelId, success, cost, taskType } of chosen) {
      clock.now = START + t * DISPATCH_SPACING_MS;
      await policy.record(taskType, modelId, success, cost);
      if (success) successes += 1;
      spendUsd += cost;
    }
  }
  return {
    regret,
    successRate: successes / dispatches.length,
    spendUsd,
    reactions: world.events.map((event) => reactionTime(event, picks)),
  };
}
