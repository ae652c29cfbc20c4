import { averageOf } from '../core/averages.js';
import type { ModelStats } from '../index.js';

const COLUMNS = [
  'taskType',
  'modelId',
  'samples',
  'successes',
  'failures',
  'timeouts',
  'successRate',
  'totalTokens',
  'tokenSamples',
  'totalCost',
  'costSamples',
  'totalLatencyMs',
  'latencySamples',
  'lastUsed',
] as const satisfies ReadonlyArray<keyof ModelStats>;

/** Per-call averages over the outcomes that gave a value; an empty cell when none did. */
const AVERAGES = {
  avgTokens: (row: ModelStats) => averageOf(row.totalTokens, row.tokenSamples),
  avgCost: (row: ModelStats) => averageOf(row.totalCost, row.costSamples),
  avgLatencyMs: (row: ModelStats) => averageOf(row.totalLatencyMs, row.latencySamples),
};

/** A spreadsheet runs a cell that starts like a formula: a model named "=HYPERLINK(...)" must stay text. */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV (RFC 4180 quoting, \n line ends for Unix tools) of the stats rows, one per task type and model. */
export function statsToCsv(rows: readonly ModelStats[]): string {
  const averages = Object.values(AVERAGES);
  const header = [...COLUMNS, ...Object.keys(AVERAGES)].join(',');
  const cells = (row: ModelStats): Array<string | number | null> => [
    ...COLUMNS.map((column) => row[column]),
    ...averages.map((average) => average(row)),
  ];
  const lines = [header, ...rows.map((row) => cells(row).map(csvField).join(','))];
  return `${lines.join('\n')}\n`;
}
