import { averageOf, type ModelStats } from '../index.js';
import type { Painter, StyleFormat } from './output.js';

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** Longer cells are cut with an ellipsis, so one long model name cannot push every row off screen. */
  maxWidth?: number;
}

export interface StyledCell {
  text: string;
  style: StyleFormat;
}

/** A cell's text, optionally coloured; its width is measured before the colour is added. */
export type Cell = string | StyledCell;

const DEFAULT_MAX_WIDTH = 40;
const GAP = '  ';

function truncate(text: string, maxWidth: number): string {
  return text.length <= maxWidth ? text : `${text.slice(0, Math.max(0, maxWidth - 1))}…`;
}

function textOf(cell: Cell): string {
  return typeof cell === 'string' ? cell : cell.text;
}

/** Columns padded to their widest cell, with a dimmed header rule; returns one string per line. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly Cell[])[], paint: Painter): string[] {
  const fitted = rows.map((row) =>
    columns.map((column, index) => {
      const cell = row[index] ?? '';
      const text = truncate(textOf(cell), column.maxWidth ?? DEFAULT_MAX_WIDTH);
      return { text, style: typeof cell === 'string' ? undefined : cell.style };
    }),
  );
  const headers = columns.map((column) => truncate(column.header, column.maxWidth ?? DEFAULT_MAX_WIDTH));
  const widths = columns.map((_column, index) =>
    Math.max(headers[index]?.length ?? 0, ...fitted.map((row) => row[index]?.text.length ?? 0)),
  );
  const pad = (text: string, index: number): string => {
    const width = widths[index] ?? 0;
    return columns[index]?.align === 'right' ? text.padStart(width) : text.padEnd(width);
  };
  const joinCells = (cells: string[]): string => cells.join(GAP).trimEnd();
  const header = joinCells(headers.map((text, index) => paint('bold', pad(text, index))));
  const rule = paint('dim', joinCells(widths.map((width) => '─'.repeat(width))));
  const body = fitted.map((row) =>
    joinCells(
      row.map(({ text, style }, index) => (style === undefined ? pad(text, index) : paint(style, pad(text, index)))),
    ),
  );
  return [header, rule, ...body];
}

/** "key  value" lines with the keys aligned, for records such as doctor's. */
export function formatPairs(pairs: ReadonlyArray<readonly [string, string]>, paint: Painter): string[] {
  const width = Math.max(0, ...pairs.map(([key]) => key.length));
  return pairs.map(([key, value]) => `${paint('bold', key.padEnd(width))}${GAP}${value}`);
}

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
