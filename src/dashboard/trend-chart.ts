import { chartSvg, emptyNote, fittedRateAxis, linearScale, type ModelStyles, px, rateAxis, styleOf } from './chart.js';
import type { TaskDashboard, TrendChartData, TrendSeries } from './dashboard-data.js';
import { formatDay, formatPercent, html, type SafeHtml } from './text.js';

const WIDTH = 520;
const HEIGHT = 280;
const LEFT = 40;
const RIGHT = 12;
const TOP = 10;
const BOTTOM = 28;
/** Day labels on the x axis: the first, the last and a few between, so that they never overlap. */
const DAY_LABELS = 4;
/** The models drawn bold and in front: the best of the ranking (plus any that degraded). */
const LEADERS = 3;

/**
 * The SVG path of one series: where no rate exists the path lifts its pen ("M") instead of drawing 0%,
 * and the line shows a gap.
 */
function seriesPath(rates: ReadonlyArray<number | null>, x: (index: number) => number, y: (rate: number) => number) {
  let penDown = false;
  const commands: string[] = [];
  rates.forEach((rate, index) => {
    if (rate === null) {
      penDown = false;
      return;
    }
    commands.push(`${penDown ? 'L' : 'M'}${px(x(index))} ${px(y(rate))}`);
    penDown = true;
  });
  return commands.join('');
}

function dayLabelIndexes(dayCount: number): number[] {
  if (dayCount <= DAY_LABELS) return Array.from({ length: dayCount }, (_, index) => index);
  return Array.from({ length: DAY_LABELS }, (_, slot) => Math.round((slot * (dayCount - 1)) / (DAY_LABELS - 1)));
}

function lastIndex(rates: ReadonlyArray<number | null>): number {
  for (let index = rates.length - 1; index >= 0; index -= 1) if (rates[index] !== null) return index;
  return -1;
}

function describeSeries(series: TrendSeries, days: readonly string[], recentDays: number): string {
  const last = lastIndex(series.rollingRates);
  if (last < 0) return `${series.modelId}: no attempts`;
  return `${series.modelId}: ${formatPercent(series.rollingRates[last] ?? 0)} over the ${recentDays} days to ${formatDay(days[last] ?? '')} (${series.rollingAttempts[last]} attempts)`;
}

/** The models brought forward: the first LEADERS of the ranking, and every model flagged as degraded. */
export function leadingModels(task: TaskDashboard): Set<string> {
  return new Set(task.ranking.filter((row, index) => index < LEADERS || row.drift !== null).map((row) => row.modelId));
}

function seriesMarks(
  series: TrendSeries,
  trend: TrendChartData,
  styles: ModelStyles,
  leading: boolean,
  scales: { x: (index: number) => number; y: (rate: number) => number; recentDays: number },
) {
  const { colour, dash } = styleOf(styles, series.modelId);
  const { x, y, recentDays } = scales;
  const last = lastIndex(series.rollingRates);
  const end =
    last < 0
      ? ''
      : html`<circle cx="${px(x(last))}" cy="${px(y(series.rollingRates[last] ?? 0))}" r="${leading ? 3.5 : 2.5}" fill="${colour}"/>`;
  return html`<g data-series="${series.modelId}"${leading ? html` data-leading="true"` : ''}><title>${describeSeries(series, trend.days, recentDays)}</title><path class="line${leading ? ' leading' : ' faded'}" d="${seriesPath(series.rollingRates, x, y)}" stroke="${colour}" stroke-dasharray="${dash === '' ? 'none' : dash}"/>${end}</g>`;
}

/**
 * The success rate of the last recentDays days, day by day, one line per model: a rolling rate reads as a
 * trend where daily rates of a few samples would jump between 0 and 100%. The leading models are drawn
 * bold and in front; the rest stay faded behind them.
 */
export function trendChart(
  task: TaskDashboard,
  styles: ModelStyles,
  id: string,
  windows: { days: number; recentDays: number },
): SafeHtml {
  const { trend } = task;
  const { days: windowDays, recentDays } = windows;
  const frame = {
    kind: 'trend' as const,
    id,
    width: WIDTH,
    height: HEIGHT,
    label: `Rolling ${recentDays}-day success rate per model on ${task.taskType} over the last ${windowDays} days`,
    description:
      trend.series.length === 0
        ? `No attempts in the last ${windowDays} days.`
        : trend.series.map((series) => describeSeries(series, trend.days, recentDays)).join('. '),
  };
  if (trend.series.length === 0) {
    return chartSvg(frame, emptyNote(WIDTH, HEIGHT, `No attempts in the last ${windowDays} days`));
  }
  const leading = leadingModels(task);
  const rates = trend.series.flatMap((series) => series.rollingRates.filter((rate): rate is number => rate !== null));
  const axis = fittedRateAxis(rates);
  const x = linearScale([0, trend.days.length - 1], [LEFT + 8, WIDTH - RIGHT - 8]);
  const y = linearScale(axis.domain, [HEIGHT - BOTTOM, TOP]);
  const grid = rateAxis(y, axis.ticks, LEFT, WIDTH - RIGHT);
  const dayAxis = dayLabelIndexes(trend.days.length).map((index, slot, all) => {
    const anchor = slot === 0 ? 'start' : slot === all.length - 1 ? 'end' : 'middle';
    return html`<text class="tick" x="${px(x(index))}" y="${HEIGHT - 8}" text-anchor="${anchor}">${formatDay(trend.days[index] ?? '')}</text>`;
  });
  // Behind first, then the leaders, the best last so that it is on top.
  const rank = new Map(task.ranking.map((row) => [row.modelId, row.rank]));
  const ordered = [...trend.series].sort(
    (a, b) =>
      Number(leading.has(a.modelId)) - Number(leading.has(b.modelId)) ||
      (rank.get(b.modelId) ?? Number.MAX_SAFE_INTEGER) - (rank.get(a.modelId) ?? Number.MAX_SAFE_INTEGER),
  );
  const lines = ordered.map((series) =>
    seriesMarks(series, trend, styles, leading.has(series.modelId), { x, y, recentDays }),
  );
  return chartSvg(frame, html`${grid}${dayAxis}${lines}`);
}

/** The key to the trend lines in ranking order, in HTML so that it wraps on narrow screens. */
export function trendLegend(task: TaskDashboard, styles: ModelStyles): SafeHtml {
  const leading = leadingModels(task);
  const drifted = new Set(task.ranking.filter((row) => row.drift !== null).map((row) => row.modelId));
  const rank = new Map(task.ranking.map((row) => [row.modelId, row.rank]));
  const series = [...task.trend.series].sort(
    (a, b) => (rank.get(a.modelId) ?? Number.MAX_SAFE_INTEGER) - (rank.get(b.modelId) ?? Number.MAX_SAFE_INTEGER),
  );
  const items = series.map((entry) => {
    const { colour, dash } = styleOf(styles, entry.modelId);
    const flag = drifted.has(entry.modelId) ? html` <span class="warn-text">⚑ degraded</span>` : '';
    return html`<li data-legend="${entry.modelId}"${leading.has(entry.modelId) ? html` class="leading"` : ''}><svg class="swatch" viewBox="0 0 28 10" aria-hidden="true"><line x1="1" x2="27" y1="5" y2="5" stroke="${colour}" stroke-dasharray="${dash === '' ? 'none' : dash}"/></svg>${entry.modelId}${flag}</li>`;
  });
  return items.length === 0 ? html`` : html`<ul class="legend" aria-label="Legend">${items}</ul>`;
}
