import type { Dispatch } from './simulate.js';
import { DEGRADATION, TASKS } from './world.js';

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
