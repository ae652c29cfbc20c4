import type { OutcomeInput } from '../../src/core/types.js';

const BASE = Date.parse('2026-03-01T00:00:00.000Z');

/** Outcome number `index`: spread over 3 task types, 4 models, an hour apart, with dyadic costs (exact sums). */
export function outcomeNo(index: number, fields: Partial<OutcomeInput> = {}): OutcomeInput {
  return {
    id: `o-${index}`,
    taskType: `task-${index % 3}`,
    modelId: `model-${index % 4}`,
    success: index % 5 !== 0,
    timeout: index % 5 === 0 && index % 7 === 0,
    tokensUsed: index % 1000,
    costUsd: (index % 16) / 64,
    ...(index % 11 === 0 ? {} : { latencyMs: index % 500 }),
    timestamp: new Date(BASE + index * 3_600_000).toISOString(),
    ...fields,
  };
}

export function outcomesNo(from: number, count: number): OutcomeInput[] {
  return Array.from({ length: count }, (_, offset) => outcomeNo(from + offset));
}
