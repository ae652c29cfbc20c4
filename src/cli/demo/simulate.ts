import type { ModelLearner, OutcomeInput } from '../../index.js';
import { chooseModel, type DispatchPlan, EXPLORE_ONLY, planDispatch } from './dispatcher.js';
import { seededRandom } from './random.js';
import { attempt, pickTask, TASKS } from './world.js';

const HOUR_MS = 3_600_000;
export const SIMULATED_DAYS = 30;
/** Calls per simulated hour: 4 to 7, about 4,000 over the 30 days. */
const MIN_CALLS_PER_HOUR = 4;
const EXTRA_CALLS_PER_HOUR = 4;
/**
 * How often the runtime asks the learner again, like a routing table refreshed every few hours. Hourly
 * would be as cheap on SQLite, but the JSON backend (Node < 24) recounts its outcomes for every windowed
 * query, and the demo must stay fast there too.
 */
const REPLAN_HOURS = 4;

/** The learner's clock, moved by the simulation: its windows are windows of simulated time. */
export interface SimulationClock {
  now: Date;
}

export interface SimulationOptions {
  learner: ModelLearner;
  clock: SimulationClock;
  seed: number;
  /** The simulation ends here (its last outcome is just before); it starts SIMULATED_DAYS earlier. */
  end: Date;
  onHour?: (hour: number, hours: number) => void;
}

export interface Dispatch {
  taskType: string;
  modelId: string;
  day: number;
}

/**
 * Runs the runtime hour by hour: every few hours it asks the learner for a plan per task type; it
 * dispatches each hour's calls by the plans and records their outcomes in one batch, with their
 * timestamps and stable ids, so that the same seed writes the same outcomes.
 */
export async function simulate({ learner, clock, seed, end, onHour }: SimulationOptions): Promise<Dispatch[]> {
  const random = seededRandom(seed);
  const hours = SIMULATED_DAYS * 24;
  const start = end.getTime() - hours * HOUR_MS;
  const dispatches: Dispatch[] = [];
  const plans = new Map<string, DispatchPlan>();
  for (let hour = 0; hour < hours; hour += 1) {
    const hourStart = start + hour * HOUR_MS;
    clock.now = new Date(hourStart);
    if (hour % REPLAN_HOURS === 0) {
      for (const task of TASKS) plans.set(task.taskType, await planDispatch(learner, task.taskType));
    }
    const day = Math.floor(hour / 24);
    const calls = MIN_CALLS_PER_HOUR + Math.floor(random() * EXTRA_CALLS_PER_HOUR);
    const batch: OutcomeInput[] = [];
    for (let call = 0; call < calls; call += 1) {
      const task = pickTask(random);
      const model = chooseModel(plans.get(task.taskType) ?? EXPLORE_ONLY, random);
      batch.push({
        id: `demo-${seed}-${dispatches.length}`,
        taskType: task.taskType,
        modelId: model.modelId,
        timestamp: new Date(hourStart + Math.floor(((call + random()) / calls) * HOUR_MS)),
        ...attempt(task, model, day, random),
      });
      dispatches.push({ taskType: task.taskType, modelId: model.modelId, day });
    }
    await learner.store.recordMany(batch);
    onHour?.(hour + 1, hours);
  }
  clock.now = end;
  return dispatches;
}
