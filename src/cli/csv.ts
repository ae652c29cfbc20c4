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
  'totalCost',
  'totalLatencyMs',
  'latencySamples',
  'lastUsed',
] as const satisfies ReadonlyArray<keyof ModelStats>;

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
  const lines = [COLUMNS.join(','), ...rows.map((row) => COLUMNS.map((column) => csvField(row[column])).join(','))];
  return `${lines.join('\n')}\n`;
}
