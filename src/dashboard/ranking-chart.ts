import { chartSvg, emptyNote, fittedRateAxis, linearScale, type ModelStyles, px, styleOf, truncate } from './chart.js';
import type { RankingRow, TaskDashboard } from './dashboard-data.js';
import { formatDay, formatPercent, formatSamples, formatTickPercent, html, type SafeHtml } from './text.js';

// Narrow on purpose: the name sits above its bar, so the chart stays legible on a 420 px wide screen.
const WIDTH = 420;
const ROW_HEIGHT = 52;
const TOP = 4;
const AXIS_HEIGHT = 24;
const PLOT_LEFT = 10;
const PLOT_RIGHT = 410;
const LABEL_CHARACTERS = 30;

function intervalText(row: RankingRow): string {
  return `sorted by ${formatPercent(row.lower)}, the lower end of its confidence interval (${formatPercent(row.lower)} to ${formatPercent(row.upper)}); observed ${formatPercent(row.successRate)} over ${formatSamples(row.samples)}`;
}

function recentText(row: RankingRow, recentDays: number): string {
  const { samples, successes } = row.recent;
  return samples === 0 ? `none in ${recentDays} days` : `${recentDays}-day ${formatPercent(successes / samples)}`;
}

/** The flags after the model's name, in the warning colour: what needs the reader's attention. */
function rowFlags(row: RankingRow, demoted: boolean): string {
  const flags: string[] = [];
  if (row.drift !== null) flags.push(`⚑ degraded since ${formatDay(row.drift.since)}`);
  if (demoted) flags.push('⚑ demote');
  return flags.join(' ');
}

function rowDetails(row: RankingRow, recentDays: number): string {
  const details = [
    formatSamples(row.samples),
    `observed ${formatPercent(row.successRate)}`,
    recentText(row, recentDays),
    `P(best) ${formatPercent(row.pBest)}`,
  ];
  if (!row.meetsGate) details.push('too few to rank');
  return details.join(' · ');
}

/**
 * Every model with a sample, in the learner's rank order, which sorts by the lower end of the Wilson
 * interval: that bound is the bold number and the bold tick; the interval is the bar and the observed
 * rate the dot. A hollow dot marks a model with fewer samples than the learner's ranking requires.
 */
export function rankingChart(task: TaskDashboard, styles: ModelStyles, id: string, recentDays: number): SafeHtml {
  const rows = task.ranking;
  const plotBottom = TOP + Math.max(rows.length, 1) * ROW_HEIGHT;
  const height = plotBottom + AXIS_HEIGHT;
  const axis = fittedRateAxis(rows.flatMap((row) => [row.lower, row.upper]));
  const x = linearScale(axis.domain, [PLOT_LEFT, PLOT_RIGHT]);
  const demoted = new Set(task.demotions.filter((flag) => flag.demote).map((flag) => flag.modelId));
  const frame = {
    kind: 'ranking' as const,
    id,
    width: WIDTH,
    height,
    label: `Ranking of models on ${task.taskType}, sorted by the lower end of the success rate's confidence interval`,
    description:
      rows.length === 0
        ? 'No model has a sample yet.'
        : `Best first: ${rows.map((row) => `${row.rank}. ${row.modelId}, ${intervalText(row)}`).join('; ')}.`,
  };
  if (rows.length === 0) return chartSvg(frame, emptyNote(WIDTH, height, 'No samples yet'));

  const grid = axis.ticks.map((rate, index) => {
    // The end labels align inwards, so that they stay inside the chart.
    const anchor = index === 0 ? 'start' : index === axis.ticks.length - 1 ? 'end' : 'middle';
    return html`<line class="gridline" x1="${px(x(rate))}" x2="${px(x(rate))}" y1="${TOP}" y2="${plotBottom}"/><text class="tick" x="${px(x(rate))}" y="${plotBottom + 16}" text-anchor="${anchor}">${formatTickPercent(rate)}</text>`;
  });
  const stripes = rows.map((_, index) =>
    index % 2 === 0
      ? html`<rect class="stripe" x="0" y="${TOP + index * ROW_HEIGHT}" width="${WIDTH}" height="${ROW_HEIGHT}"/>`
      : '',
  );
  const marks = rows.map((row, index) => {
    const { colour } = styleOf(styles, row.modelId);
    const top = TOP + index * ROW_HEIGHT;
    const bar = top + 41;
    const [lower, upper, rate] = [px(x(row.lower)), px(x(row.upper)), px(x(row.successRate))];
    const flags = rowFlags(row, demoted.has(row.modelId));
    const name = `${row.rank}. ${truncate(row.modelId, flags === '' ? LABEL_CHARACTERS : LABEL_CHARACTERS - 8)}`;
    return html`<g data-series="${row.modelId}" data-rank="${row.rank}"${row.drift === null ? '' : html` data-degraded="true"`}><title>${row.rank}. ${row.modelId}: ${intervalText(row)}</title>
<text class="label" x="${PLOT_LEFT}" y="${top + 15}">${name}${flags === '' ? '' : html`<tspan class="flag" dx="8">${flags}</tspan>`}</text>
<text class="value" x="${PLOT_RIGHT}" y="${top + 15}" text-anchor="end">${formatPercent(row.lower)}</text>
<text class="note" x="${PLOT_LEFT}" y="${top + 29}">${rowDetails(row, recentDays)}</text>
<line class="interval" x1="${lower}" x2="${upper}" y1="${bar}" y2="${bar}" stroke="${colour}"/>
<line class="bound" x1="${lower}" x2="${lower}" y1="${bar - 7}" y2="${bar + 7}" stroke="${colour}"/>
<circle cx="${rate}" cy="${bar}" r="5" stroke="${colour}" fill="${row.meetsGate ? colour : '#ffffff'}"/></g>`;
  });
  return chartSvg(frame, html`${stripes}${grid}${marks}`);
}
