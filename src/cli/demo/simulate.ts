import type { ModelLearner, OutcomeInput } from '../../index.js';
import {
  attempt,
  DEGRADATION,
  MODELS,
  modelNamed,
  pickTask,
  type SimulatedModel,
  seededRandom,
  TASKS,
} from './world.js';

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

const WEEK = 7;

export interface DegradationStory {
  modelId: string;
  fromDay: number;
  /** The task type on which the runtime relied on the model most before it degraded. */
  taskType: string;
  /** Its share of that task type's calls in the week before it degraded, and in the last week. */
  shareBefore: number;
  shareAfter: number;
}

function shareOf(dispatches: readonly Dispatch[], taskType: string, firstDay: number, endDay: number): number {
  const calls = dispatches.filter((call) => call.taskType === taskType && call.day >= firstDay && call.day < endDay);
  const ofModel = calls.filter((call) => call.modelId === DEGRADATION.modelId).length;
  return calls.length === 0 ? 0 : ofModel / calls.length;
}

/** How the runtime reacted to the degradation: the model's share of calls before it and at the end. */
export function degradationStory(dispatches: readonly Dispatch[], days: number): DegradationStory {
  const { modelId, fromDay } = DEGRADATION;
  const before = (taskType: string): number => shareOf(dispatches, taskType, fromDay - WEEK, fromDay);
  const taskType = TASKS.map((task) => task.taskType).reduce((best, candidate) =>
    before(candidate) > before(best) ? candidate : best,
  );
  return {
    modelId,
    fromDay,
    taskType,
    shareBefore: before(taskType),
    shareAfter: shareOf(dispatches, taskType, days - WEEK, days),
  };
}
