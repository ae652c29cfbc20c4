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

/**
 * A spreadsheet runs a cell that starts like a formula: a model named "=HYPERLINK(...)" must stay text.
 * Spreadsheets set to another delimiter (`;` in much of Europe, tab) may split a field there, so what
 * follows any of `,` `;` tab is neutralised as a cell start too.
 */
const FORMULA_STARTS = /(^|[,;\t])(?=[=+\-@\t\r])/g;

function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = value.replace(FORMULA_STARTS, "$1'");
  return /[",;\t\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV (RFC 4180 quoting, \n line ends for Unix tools) of the stats rows, one per task type and model. */
export function statsToCsv(rows: readonly ModelStats[]): string {
  const lines = [COLUMNS.join(','), ...rows.map((row) => COLUMNS.map((column) => csvField(row[column])).join(','))];
  return `${lines.join('\n')}\n`;
}
