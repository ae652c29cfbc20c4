import type { BaselineEntry, ImportSource } from '../../src/core/baselines.js';

/** A baseline with every count set; `fields` overrides any of them. */
export function baseline(taskType: string, modelId: string, fields: Partial<BaselineEntry> = {}): BaselineEntry {
  return {
    taskType,
    modelId,
    successes: 40,
    failures: 2,
    timeouts: 1,
    totalTokens: 1000,
    totalCost: 0.5,
    lastUsed: '2026-01-05T10:00:00.000Z',
    ...fields,
  };
}

export function legacySource(id: string): ImportSource {
  return { id, kind: 'legacy-json', details: { file: 'model-performance.json', pairs: 2 } };
}

const VALID = baseline('execute-task', 'gpt-4o');
const entry = (fields: Record<string, unknown>): unknown => ({ ...VALID, modelId: 'second', ...fields });
const without = (field: keyof BaselineEntry): unknown => {
  const { [field]: _left, ...rest } = { ...VALID, modelId: 'second' };
  return rest;
};

/**
 * importBaselines calls that must each reject with MP_INVALID_IMPORT naming `field`, and write nothing.
 * Every batch starts with a valid entry, so a backend that wrote entry by entry would be caught.
 */
export const BAD_IMPORTS: ReadonlyArray<{ label: string; source: unknown; entries: unknown; field: string }> = [
  { label: 'no source', source: null, entries: [VALID], field: 'source' },
  {
    label: 'a source id of 0 characters',
    source: { id: '', kind: 'legacy-json' },
    entries: [VALID],
    field: 'source.id',
  },
  { label: 'a blank source id', source: { id: '  ', kind: 'legacy-json' }, entries: [VALID], field: 'source.id' },
  {
    label: 'a source id of 201 characters',
    source: { id: 's'.repeat(201), kind: 'legacy-json' },
    entries: [VALID],
    field: 'source.id',
  },
  { label: 'a numeric source id', source: { id: 7, kind: 'legacy-json' }, entries: [VALID], field: 'source.id' },
  {
    label: 'a source id with a newline',
    source: { id: 'a\nb', kind: 'legacy-json' },
    entries: [VALID],
    field: 'source.id',
  },
  { label: 'an unknown kind', source: { id: 's', kind: 'csv' }, entries: [VALID], field: 'source.kind' },
  {
    label: 'details as an array',
    source: { id: 's', kind: 'legacy-json', details: ['file'] },
    entries: [VALID],
    field: 'source.details',
  },
  {
    label: 'a detail that is an object',
    source: { id: 's', kind: 'legacy-json', details: { file: { name: 'x' } } },
    entries: [VALID],
    field: 'source.details',
  },
  {
    label: 'a detail that is NaN',
    source: { id: 's', kind: 'legacy-json', details: { pairs: Number.NaN } },
    entries: [VALID],
    field: 'source.details',
  },
  {
    label: 'an unknown source field',
    source: { id: 's', kind: 'legacy-json', name: 'x' },
    entries: [VALID],
    field: 'name',
  },
  { label: 'entries not an array', source: legacySource('s'), entries: { 0: VALID }, field: 'entries' },
  { label: 'no entries', source: legacySource('s'), entries: null, field: 'entries' },
  { label: 'an entry that is null', source: legacySource('s'), entries: [VALID, null], field: 'entry' },
  // biome-ignore lint/suspicious/noSparseArray: the hole is the point: it must fail like a missing entry.
  { label: 'a hole in the entries', source: legacySource('s'), entries: [VALID, , VALID], field: 'entry' },
  {
    label: 'an entry without taskType',
    source: legacySource('s'),
    entries: [VALID, without('taskType')],
    field: 'taskType',
  },
  { label: 'an empty modelId', source: legacySource('s'), entries: [VALID, entry({ modelId: '' })], field: 'modelId' },
  {
    label: 'a modelId with a control character',
    source: legacySource('s'),
    entries: [VALID, entry({ modelId: 'm\u0007' })],
    field: 'modelId',
  },
  {
    label: 'a taskType of 201 characters',
    source: legacySource('s'),
    entries: [VALID, entry({ taskType: 't'.repeat(201) })],
    field: 'taskType',
  },
  {
    label: 'negative successes',
    source: legacySource('s'),
    entries: [VALID, entry({ successes: -1 })],
    field: 'successes',
  },
  {
    label: 'fractional failures',
    source: legacySource('s'),
    entries: [VALID, entry({ failures: 1.5 })],
    field: 'failures',
  },
  {
    label: 'timeouts as a string',
    source: legacySource('s'),
    entries: [VALID, entry({ timeouts: '3' })],
    field: 'timeouts',
  },
  {
    label: 'unsafe totalTokens',
    source: legacySource('s'),
    entries: [VALID, entry({ totalTokens: 2 ** 53 })],
    field: 'totalTokens',
  },
  { label: 'missing failures', source: legacySource('s'), entries: [VALID, without('failures')], field: 'failures' },
  {
    label: 'NaN totalCost',
    source: legacySource('s'),
    entries: [VALID, entry({ totalCost: Number.NaN })],
    field: 'totalCost',
  },
  {
    label: 'infinite totalCost',
    source: legacySource('s'),
    entries: [VALID, entry({ totalCost: Number.POSITIVE_INFINITY })],
    field: 'totalCost',
  },
  {
    label: 'negative totalCost',
    source: legacySource('s'),
    entries: [VALID, entry({ totalCost: -0.01 })],
    field: 'totalCost',
  },
  {
    label: 'lastUsed not a date',
    source: legacySource('s'),
    entries: [VALID, entry({ lastUsed: 'yesterday' })],
    field: 'lastUsed',
  },
  {
    label: 'lastUsed as a number',
    source: legacySource('s'),
    entries: [VALID, entry({ lastUsed: 1_700_000_000 })],
    field: 'lastUsed',
  },
  { label: 'lastUsed missing', source: legacySource('s'), entries: [VALID, without('lastUsed')], field: 'lastUsed' },
  {
    label: 'an unknown entry field',
    source: legacySource('s'),
    entries: [VALID, entry({ samples: 42 })],
    field: 'samples',
  },
  { label: 'a pair twice', source: legacySource('s'), entries: [VALID, { ...VALID, successes: 1 }], field: 'entries' },
];

/** replaceFederated calls that must each reject with MP_INVALID_IMPORT naming `field`, and write nothing. */
export const BAD_FEDERATED: ReadonlyArray<{ label: string; source: unknown; entries: unknown; field: string }> = [
  { label: 'no source', source: undefined, entries: [VALID], field: 'source' },
  { label: 'an empty source id', source: { id: '', exportedAt: '2026-03-01' }, entries: [VALID], field: 'source.id' },
  { label: 'no exportedAt', source: { id: 'peer' }, entries: [VALID], field: 'source.exportedAt' },
  {
    label: 'exportedAt not a date',
    source: { id: 'peer', exportedAt: 'soon' },
    entries: [VALID],
    field: 'source.exportedAt',
  },
  {
    label: 'an unknown source field',
    source: { id: 'peer', exportedAt: '2026-03-01', kind: 'legacy-json' },
    entries: [VALID],
    field: 'kind',
  },
  {
    label: 'a bad entry',
    source: { id: 'peer', exportedAt: '2026-03-01' },
    entries: [VALID, entry({ failures: -2 })],
    field: 'failures',
  },
  {
    label: 'a pair twice',
    source: { id: 'peer', exportedAt: '2026-03-01' },
    entries: [VALID, VALID],
    field: 'entries',
  },
];
