import type { OutcomeInput } from '../../src/core/types.js';

export const BASE_TIME = Date.parse('2026-03-01T00:00:00.000Z');
const HOUR = 3_600_000;

/** An outcome at BASE_TIME + hours, with every field set. */
export function outcomeAt(hours: number, fields: Partial<OutcomeInput> = {}): OutcomeInput {
  return {
    taskType: 'execute-task',
    modelId: 'gpt-4o',
    success: true,
    timeout: false,
    tokensUsed: 100,
    costUsd: 0.25,
    latencyMs: 800,
    timestamp: new Date(BASE_TIME + hours * HOUR).toISOString(),
    ...fields,
  };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Names that break naive storage: prototype keys, SQL, non-Latin text, emoji, the longest allowed. */
export const HOSTILE_NAMES: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  "'; DROP TABLE model_stats; --",
  '"quoted" \\ back\\slash',
  'モデル-日本語-задача',
  'emoji 🚀🧠 model',
  '\uffff-after-bmp 😀',
  'x'.repeat(200),
  '🚀'.repeat(100),
];

/**
 * Inputs that must each reject with MP_INVALID_OUTCOME and write nothing.
 * The field named is the one the error must name.
 */
export const BAD_INPUTS: ReadonlyArray<{ label: string; input: unknown; field: string }> = [
  { label: 'null', input: null, field: 'outcome' },
  { label: 'undefined', input: undefined, field: 'outcome' },
  { label: 'a string', input: 'gpt-4o succeeded', field: 'outcome' },
  { label: 'a number', input: 42, field: 'outcome' },
  { label: 'an array', input: [], field: 'outcome' },
  { label: 'a Date', input: new Date(), field: 'outcome' },
  { label: 'missing taskType', input: { modelId: 'm', success: true }, field: 'taskType' },
  { label: 'empty taskType', input: { taskType: '', modelId: 'm', success: true }, field: 'taskType' },
  { label: 'blank taskType', input: { taskType: '   ', modelId: 'm', success: true }, field: 'taskType' },
  { label: 'numeric taskType', input: { taskType: 7, modelId: 'm', success: true }, field: 'taskType' },
  {
    label: 'taskType of 201 chars',
    input: { taskType: 't'.repeat(201), modelId: 'm', success: true },
    field: 'taskType',
  },
  { label: 'taskType with a newline', input: { taskType: 'a\nb', modelId: 'm', success: true }, field: 'taskType' },
  { label: 'missing modelId', input: { taskType: 't', success: true }, field: 'modelId' },
  { label: 'modelId with NUL', input: { taskType: 't', modelId: 'm\u0000', success: true }, field: 'modelId' },
  { label: 'modelId an object', input: { taskType: 't', modelId: { name: 'm' }, success: true }, field: 'modelId' },
  { label: 'missing success', input: { taskType: 't', modelId: 'm' }, field: 'success' },
  { label: 'success as string', input: { taskType: 't', modelId: 'm', success: 'true' }, field: 'success' },
  { label: 'success as 1', input: { taskType: 't', modelId: 'm', success: 1 }, field: 'success' },
  {
    label: 'a success that timed out',
    input: { taskType: 't', modelId: 'm', success: true, timeout: true },
    field: 'success',
  },
  {
    label: 'timeout as string',
    input: { taskType: 't', modelId: 'm', success: false, timeout: 'yes' },
    field: 'timeout',
  },
  {
    label: 'negative tokens',
    input: { taskType: 't', modelId: 'm', success: true, tokensUsed: -5 },
    field: 'tokensUsed',
  },
  {
    label: 'fractional tokens',
    input: { taskType: 't', modelId: 'm', success: true, tokensUsed: 1.5 },
    field: 'tokensUsed',
  },
  {
    label: 'unsafe tokens',
    input: { taskType: 't', modelId: 'm', success: true, tokensUsed: 2 ** 53 },
    field: 'tokensUsed',
  },
  {
    label: 'tokens as string',
    input: { taskType: 't', modelId: 'm', success: true, tokensUsed: '10' },
    field: 'tokensUsed',
  },
  { label: 'NaN cost', input: { taskType: 't', modelId: 'm', success: true, costUsd: Number.NaN }, field: 'costUsd' },
  {
    label: 'infinite cost',
    input: { taskType: 't', modelId: 'm', success: true, costUsd: Infinity },
    field: 'costUsd',
  },
  { label: 'negative cost', input: { taskType: 't', modelId: 'm', success: true, costUsd: -0.01 }, field: 'costUsd' },
  {
    label: 'negative latency',
    input: { taskType: 't', modelId: 'm', success: true, latencyMs: -1 },
    field: 'latencyMs',
  },
  {
    label: 'latency as null',
    input: { taskType: 't', modelId: 'm', success: true, latencyMs: null },
    field: 'latencyMs',
  },
  {
    label: 'invalid date string',
    input: { taskType: 't', modelId: 'm', success: true, timestamp: 'yesterday' },
    field: 'timestamp',
  },
  {
    label: 'invalid Date',
    input: { taskType: 't', modelId: 'm', success: true, timestamp: new Date(Number.NaN) },
    field: 'timestamp',
  },
  {
    label: 'timestamp as number',
    input: { taskType: 't', modelId: 'm', success: true, timestamp: 1_700_000_000_000 },
    field: 'timestamp',
  },
  {
    label: 'year 10000',
    input: { taskType: 't', modelId: 'm', success: true, timestamp: '+010000-01-01T00:00:00Z' },
    field: 'timestamp',
  },
  { label: 'empty id', input: { taskType: 't', modelId: 'm', success: true, id: '' }, field: 'id' },
  { label: 'id of 129 chars', input: { taskType: 't', modelId: 'm', success: true, id: 'i'.repeat(129) }, field: 'id' },
  { label: 'numeric id', input: { taskType: 't', modelId: 'm', success: true, id: 12 }, field: 'id' },
  { label: 'unknown field', input: { taskType: 't', modelId: 'm', success: true, sucess: false }, field: 'sucess' },
  {
    label: 'a class instance',
    input: new (class Outcome {
      taskType = 't';
      modelId = 'm';
      success = true;
    })(),
    field: 'outcome',
  },
];
