import type { RankingRow, TaskDashboard } from './dashboard-data.js';
import { html, type SafeHtml } from './escape.js';
import { formatPercent, formatSamples, formatTickPercent } from './format.js';
import { type ModelStyles, styleOf } from './palette.js';
import { linearScale, px } from './scale.js';
import { chartSvg, emptyNote, truncate } from './svg.js';

const WIDTH = 640;
const ROW_HEIGHT = 38;
const TOP = 6;
const AXIS_HEIGHT = 26;
const PLOT_LEFT = 220;
const PLOT_RIGHT = 566;
const VALUE_RIGHT = 634;
const LABEL_CHARACTERS = 30;
const GRID = [0, 0.25, 0.5, 0.75, 1];

function intervalText(row: RankingRow): string {
  return `${formatPercent(row.successRate)} success (interval ${formatPercent(row.lower)} to ${formatPercent(row.upper)}, ${formatSamples(row.samples)})`;
}

function rowNote(row: RankingRow, demoted: boolean): string {
  const notes = [formatSamples(row.samples)];
  if (!row.meetsGate) notes.push('too few to rank');
  if (demoted) notes.push('⚑ demote');
  return notes.join(' · ');
}

/**
 * Every model with a sample, in the learner's rank order: a dot at its success rate on the Wilson interval
 * drawn as a line. A hollow dot marks a model with fewer samples than the learner's ranking requires.
 */
export function rankingChart(task: TaskDashboard, styles: ModelStyles, id: string): SafeHtml {
  const rows = task.ranking;
  const plotBottom = TOP + Math.max(rows.length, 1) * ROW_HEIGHT;
  const height = plotBottom + AXIS_HEIGHT;
  const x = linearScale([0, 1], [PLOT_LEFT, PLOT_RIGHT]);
  const demoted = new Set(task.demotions.filter((flag) => flag.demote).map((flag) => flag.modelId));
  const frame = {
    kind: 'ranking' as const,
    id,
    width: WIDTH,
    height,
    label: `Ranking of models on ${task.taskType}: success rate with its confidence interval`,
    description:
      rows.length === 0
        ? 'No model has a sample yet.'
        : `Best first: ${rows.map((row) => `${row.rank}. ${row.modelId}, ${intervalText(row)}`).join('; ')}.`,
  };
  if (rows.length === 0) return chartSvg(frame, emptyNote(WIDTH, height, 'No samples yet'));

  const grid = GRID.map(
    (rate) =>
      html`<line class="gridline" x1="${px(x(rate))}" x2="${px(x(rate))}" y1="${TOP}" y2="${plotBottom}"/><text class="tick" x="${px(x(rate))}" y="${plotBottom + 17}" text-anchor="middle">${formatTickPercent(rate)}</text>`,
  );
  // Under the grid, so that the grid lines stay visible across every row.
  const stripes = rows.map((_, index) =>
    index % 2 === 0
      ? html`<rect class="stripe" x="0" y="${TOP + index * ROW_HEIGHT}" width="${WIDTH}" height="${ROW_HEIGHT}"/>`
      : '',
  );
  const marks = rows.map((row, index) => {
    const { colour } = styleOf(styles, row.modelId);
    const top = TOP + index * ROW_HEIGHT;
    const middle = top + ROW_HEIGHT / 2;
    const [lower, upper, rate] = [px(x(row.lower)), px(x(row.upper)), px(x(row.successRate))];
    return html`<g data-series="${row.modelId}" data-rank="${row.rank}"><title>${row.rank}. ${row.modelId}: ${intervalText(row)}</title>
<text class="label" x="8" y="${middle - 3}">${row.rank}. ${truncate(row.modelId, LABEL_CHARACTERS)}</text>
<text class="note${demoted.has(row.modelId) ? ' warn' : ''}" x="8" y="${middle + 12}">${rowNote(row, demoted.has(row.modelId))}</text>
<line class="interval" x1="${lower}" x2="${upper}" y1="${middle}" y2="${middle}" stroke="${colour}"/>
<line class="cap" x1="${lower}" x2="${lower}" y1="${middle - 6}" y2="${middle + 6}" stroke="${colour}"/>
<line class="cap" x1="${upper}" x2="${upper}" y1="${middle - 6}" y2="${middle + 6}" stroke="${colour}"/>
<circle cx="${rate}" cy="${middle}" r="6.5" stroke="${colour}" fill="${row.meetsGate ? colour : '#ffffff'}"/>
<text class="value" x="${VALUE_RIGHT}" y="${middle + 4}" text-anchor="end">${formatPercent(row.successRate)}</text></g>`;
  });
  return chartSvg(frame, html`${stripes}${grid}${marks}`);
}
