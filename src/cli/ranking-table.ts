import { formatCost } from '../dashboard/index.js';
import type { RankedModel, RecentRate } from '../index.js';
import {
  formatCount,
  formatInterval,
  formatLatency,
  formatMeasuredCount,
  formatPercent,
  formatTimestamp,
} from './format.js';
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
  const cost = model.avgCost === null ? '–' : formatCost(model.avgCost);
  return [formatMeasuredCount(model.avgTokens), cost, formatLatency(model.avgLatencyMs)];
}

export interface RankingTableOptions<Model extends RankedModel> {
  /** The text of the # column; default the row's position. */
  rank?: (model: Model, index: number) => string;
  /** A last column, e.g. report's incumbent / challenger / demote flags. */
  status?: { header: string; cell: (model: Model) => Cell };
  /** Show when each model was last used (rank does; report keeps its rows shorter). */
  lastUsed?: boolean;
  /**
   * The rate over the other period next to the ranking's (the recent one next to all time, or all
   * time next to a window), and a drift flag when recent and older outcomes differ significantly.
   */
  recent?: RecentView;
}

export interface RecentView {
  rates: ReadonlyMap<string, RecentRate>;
  windowDays: number;
  /** True when the ranking itself counts only the window: the other column is then all time. */
  ranksOnWindow: boolean;
}

function otherRateCell(rate: RecentRate | undefined, ranksOnWindow: boolean): Cell {
  if (rate === undefined) return { text: '–', style: 'dim' };
  if (ranksOnWindow)
    return {
      ...rateCell(rate.allTimeSuccessRate),
      text: `${formatPercent(rate.allTimeSuccessRate)} (${formatCount(rate.allTimeSamples)})`,
    };
  if (rate.successRate === null) return { text: '– (0)', style: 'dim' };
  return { ...rateCell(rate.successRate), text: `${formatPercent(rate.successRate)} (${formatCount(rate.samples)})` };
}

function driftCell(rate: RecentRate | undefined): Cell {
  if (rate?.drift === 'down') return { text: '↓ drift', style: 'red' };
  if (rate?.drift === 'up') return { text: '↑ drift', style: 'green' };
  return '';
}

/** Says what the table sorts by and what its rate columns count, so that #2 at 100% above #3 makes sense. */
export function rankingFootnote(
  view: Pick<RecentView, 'windowDays' | 'ranksOnWindow'>,
  strategy: 'wilson' | 'raw' = 'wilson',
): string {
  const order =
    strategy === 'raw' ? 'sorted by the success rate' : 'sorted by the lower bound of the wilson 95% interval';
  const period = view.ranksOnWindow ? `on the last ${view.windowDays} days` : 'over all time';
  return `${order} ${period}; (n): samples; drift: the last ${view.windowDays} days differ from before (p < 0.05)`;
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
  const { recent } = options;
  if (recent !== undefined) {
    const header = recent.ranksOnWindow ? 'all time (n)' : `last ${recent.windowDays}d (n)`;
    columns.splice(4, 0, { header, align: 'right' }, { header: 'drift' });
  }
  if (options.lastUsed === true) columns.push({ header: 'last used (UTC)' });
  if (options.status !== undefined) columns.push({ header: options.status.header });
  const rows = models.map((model, index) => {
    const row: Cell[] = [
      options.rank?.(model, index) ?? String(index + 1),
      model.modelId,
      formatCount(model.samples),
      rateCell(model.successRate),
      ...(recent === undefined
        ? []
        : [
            otherRateCell(recent.rates.get(model.modelId), recent.ranksOnWindow),
            driftCell(recent.rates.get(model.modelId)),
          ]),
      formatInterval(model.lower, model.upper),
      ...averageCells(model),
    ];
    if (options.lastUsed === true) row.push(formatTimestamp(model.lastUsed));
    if (options.status !== undefined) row.push(options.status.cell(model));
    return row;
  });
  return formatTable(columns, rows, paint);
}
