import { type Figure, status } from './figures.js';
import { formatRatio, formatSeconds, formatTarget, formatValue } from './format.js';
import type { CaseResult } from './results.js';

export interface TableRow {
  backend: string;
  figure: string;
  note: string;
  ours: string;
  baseline: string;
  baselineLabel: string;
  ratio: string;
  target: string;
  result: string;
}

function figureRow(result: CaseResult, figure: Figure): TableRow {
  return {
    backend: result.backend,
    figure: figure.label,
    note: figure.note ?? '',
    ours: formatValue(figure.ours.value, figure.unit),
    baseline: figure.baseline === undefined ? '' : formatValue(figure.baseline.value, figure.unit),
    baselineLabel: figure.baseline?.label ?? '',
    ratio: formatRatio(figure),
    target: formatTarget(figure),
    result: status(figure) ?? '',
  };
}

/** One row per figure; a failed case gets one ERROR row with the first line of its error. */
export function tableRows(results: readonly CaseResult[]): TableRow[] {
  return results.flatMap((result) => {
    const rows = result.figures.map((figure) => figureRow(result, figure));
    if (result.error === undefined) return rows;
    const firstLine = result.error.split('\n')[0] ?? result.error;
    return [
      ...rows,
      {
        backend: result.backend,
        figure: `${result.title}: ${firstLine}`,
        note: '',
        ours: '',
        baseline: '',
        baselineLabel: '',
        ratio: '',
        target: '',
        result: 'ERROR',
      },
    ];
  });
}

function padTable(cells: readonly (readonly string[])[]): string[] {
  const widths = cells[0]?.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length))) ?? [];
  return cells.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/** The console table; baseline descriptions and notes go under it, by figure, to keep the lines short. */
export function consoleTable(results: readonly CaseResult[]): string {
  const rows = tableRows(results);
  const header = ['backend', 'figure', 'ours', 'baseline', 'ratio', 'target', 'result'];
  const body = rows.map((row) => [row.backend, row.figure, row.ours, row.baseline, row.ratio, row.target, row.result]);
  const legend = [
    ...new Set(rows.filter((row) => row.baselineLabel !== '').map((row) => `  ${row.figure}: ${row.baselineLabel}`)),
  ];
  const notes = rows.filter((row) => row.note !== '').map((row) => `  ${row.figure}: ${row.note}`);
  return [...padTable([header, ...body]), '', 'baselines:', ...legend, '', 'notes:', ...notes].join('\n');
}

function markdownCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

export function markdownTable(results: readonly CaseResult[]): string {
  const header = '| backend | figure | model-perf | baseline | ratio | target | result |';
  const rule = '| --- | --- | ---: | --- | ---: | --- | --- |';
  const body = tableRows(results).map((row) => {
    const baseline = row.baseline === '' ? '' : `${row.baseline} (${row.baselineLabel})`;
    const cells = [
      row.backend,
      row.figure,
      row.ours,
      baseline,
      row.ratio,
      row.target,
      row.result === '' ? '' : `**${row.result}**`,
    ];
    return `| ${cells.map(markdownCell).join(' | ')} |`;
  });
  return [header, rule, ...body].join('\n');
}

/** Per case: how many processes, the highest peak RSS among them, and how long it took. */
export function processTable(results: readonly CaseResult[], markdown: boolean): string {
  const header = ['case', 'backend', 'processes', 'peak RSS', 'wall time'];
  const body = results.map((result) => [
    result.name,
    result.backend,
    String(result.processes),
    result.peakRssMb === null ? 'n/a' : `${Math.round(result.peakRssMb)} MB`,
    formatSeconds(result.wallSeconds),
  ]);
  if (!markdown) return padTable([header, ...body]).join('\n');
  return [
    `| ${header.join(' | ')} |`,
    '| --- | --- | ---: | ---: | ---: |',
    ...body.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}
