import type { TaskDashboard, TrendChartData, TrendSeries } from './dashboard-data.js';
import { html, type SafeHtml } from './escape.js';
import { formatDay, formatPercent } from './format.js';
import { type ModelStyles, styleOf } from './palette.js';
import { linearScale, px } from './scale.js';
import { chartSvg, emptyNote, rateAxis } from './svg.js';

const WIDTH = 640;
const HEIGHT = 260;
const LEFT = 46;
const RIGHT = 14;
const TOP = 12;
const BOTTOM = 30;
/** Day labels on the x axis: the first, the last and a few between, so that they never overlap. */
const DAY_LABELS = 5;

/**
 * The SVG path of one series: a day without attempts has no rate, so the path lifts its pen there ("M")
 * instead of drawing the day as 0%, and the line shows a gap.
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

function describeSeries(series: TrendSeries, days: readonly string[]): string {
  const observed = series.successRates.flatMap((rate, index) =>
    rate === null ? [] : [`${formatDay(days[index] ?? '')} ${formatPercent(rate)}`],
  );
  return `${series.modelId}: ${observed.join(', ')}`;
}

function seriesMarks(
  series: TrendSeries,
  trend: TrendChartData,
  styles: ModelStyles,
  x: (index: number) => number,
  y: (rate: number) => number,
) {
  const { colour, dash } = styleOf(styles, series.modelId);
  const dots = series.successRates.map((rate, index) => {
    if (rate === null) return '';
    const attempts = series.attempts[index] ?? 0;
    const day = formatDay(trend.days[index] ?? '');
    return html`<circle cx="${px(x(index))}" cy="${px(y(rate))}" r="3" fill="${colour}"><title>${series.modelId}, ${day}: ${formatPercent(rate)} of ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}</title></circle>`;
  });
  return html`<g data-series="${series.modelId}"><path class="line" d="${seriesPath(series.successRates, x, y)}" stroke="${colour}" stroke-dasharray="${dash === '' ? 'none' : dash}"/>${dots}</g>`;
}

/** Daily success rate per model over the window, one line per model, with gaps on days without attempts. */
export function trendChart(task: TaskDashboard, styles: ModelStyles, id: string, windowDays: number): SafeHtml {
  const { trend } = task;
  const frame = {
    kind: 'trend' as const,
    id,
    width: WIDTH,
    height: HEIGHT,
    label: `Daily success rate per model on ${task.taskType} over the last ${windowDays} days`,
    description:
      trend.series.length === 0
        ? `No attempts in the last ${windowDays} days.`
        : trend.series.map((series) => describeSeries(series, trend.days)).join('. '),
  };
  if (trend.series.length === 0) {
    return chartSvg(frame, emptyNote(WIDTH, HEIGHT, `No attempts in the last ${windowDays} days`));
  }
  const x = linearScale([0, trend.days.length - 1], [LEFT + 8, WIDTH - RIGHT - 8]);
  const y = linearScale([0, 1], [HEIGHT - BOTTOM, TOP]);
  const dayAxis = dayLabelIndexes(trend.days.length).map(
    (index) =>
      html`<text class="tick" x="${px(x(index))}" y="${HEIGHT - 10}" text-anchor="middle">${formatDay(trend.days[index] ?? '')}</text>`,
  );
  const lines = trend.series.map((series) => seriesMarks(series, trend, styles, x, y));
  return chartSvg(frame, html`${rateAxis(y, LEFT, WIDTH - RIGHT)}${dayAxis}${lines}`);
}

/** The key to the trend lines, in HTML so that it wraps on narrow screens. */
export function trendLegend(task: TaskDashboard, styles: ModelStyles): SafeHtml {
  const items = task.trend.series.map((series) => {
    const { colour, dash } = styleOf(styles, series.modelId);
    return html`<li data-legend="${series.modelId}"><svg class="swatch" viewBox="0 0 28 10" aria-hidden="true"><line x1="1" x2="27" y1="5" y2="5" stroke="${colour}" stroke-dasharray="${dash === '' ? 'none' : dash}"/></svg>${series.modelId}</li>`;
  });
  return items.length === 0 ? html`` : html`<ul class="legend" aria-label="Legend">${items}</ul>`;
}
