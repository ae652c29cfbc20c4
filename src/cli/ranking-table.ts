import { formatCost } from '../dashboard/index.js';
import type { RankedModel } from '../index.js';
import { formatCount, formatInterval, formatLatency, formatPercent, formatTimestamp } from './format.js';
import type { Painter } from './output.js';
import { type Cell, type Column, formatTable, type StyledCell } from './table.js';

/** Colours a success rate by how good it is, so a glance down the column finds the weak models. */
export function rateCell(rate: number): StyledCell {
  const style = rate >= 0.8 ? 'green' : rate >= 0.5 ? 'yellow' : 'red';
  return { text: formatPercent(rate), style };
}

/** The per-call averages every model table ends its core columns with. */
export const AVERAGE_COLUMNS: readonly Column[] = [
  { header: 'avg tokens', align: 'right' },
  { header: 'avg cost', align: 'right' },
  { header: 'avg latency', align: 'right' },
];

/** The cells of AVERAGE_COLUMNS for one model: "–" where no outcome gave the value. */
export function averageCells(model: {
  avgTokens: number | null;
  avgCost: number | null;
  avgLatencyMs: number | null;
}): Cell[] {
  const known = (value: number | null, format: (value: number) => string): string =>
    value === null ? '–' : format(value);
  return [known(model.avgTokens, formatCount), known(model.avgCost, formatCost), formatLatency(model.avgLatencyMs)];
}

export interface RankingTableOptions<Model extends RankedModel> {
  /** The text of the # column; default the row's position. */
  rank?: (model: Model, index: number) => string;
  /** A last column, e.g. report's incumbent / challenger / demote flags. */
  status?: { header: string; cell: (model: Model) => Cell };
  /** Show when each model was last used (rank does; report keeps its rows shorter). */
  lastUsed?: boolean;
}

export function formatRanking<Model extends RankedModel>(
  models: readonly Model[],
  paint: Painter,
  options: RankingTableOptions<Model> = {},
): string[] {
  const columns: Column[] = [
    { header: '#', align: 'right' },
    { header: 'model' },
    { header: 'samples', align: 'right' },
    { header: 'success', align: 'right' },
    { header: 'wilson 95%', align: 'right' },
    ...AVERAGE_COLUMNS,
  ];
  if (options.lastUsed === true) columns.push({ header: 'last used (UTC)' });
  if (options.status !== undefined) columns.push({ header: options.status.header });
  const rows = models.map((model, index) => {
    const row: Cell[] = [
      options.rank?.(model, index) ?? String(index + 1),
      model.modelId,
      formatCount(model.samples),
      rateCell(model.successRate),
      formatInterval(model.lower, model.upper),
      ...averageCells(model),
    ];
    if (options.lastUsed === true) row.push(formatTimestamp(model.lastUsed));
    if (options.status !== undefined) row.push(options.status.cell(model));
    return row;
  });
  return formatTable(columns, rows, paint);
}
