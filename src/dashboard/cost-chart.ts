import type { CostPoint, TaskDashboard } from './dashboard-data.js';
import { html, type SafeHtml } from './escape.js';
import { formatCost, formatPercent, formatSamples } from './format.js';
import { placeLabels } from './label-placement.js';
import { type ModelStyles, styleOf } from './palette.js';
import { fittedRateAxis, linearScale, logScale, logTicks, px } from './scale.js';
import { chartSvg, emptyNote, rateAxis, truncate } from './svg.js';

const WIDTH = 520;
const HEIGHT = 330;
const LEFT = 44;
const RIGHT = 14;
const TOP = 12;
const BOTTOM = 42;
const MIN_RADIUS = 4;
const MAX_RADIUS = 14;
const LABEL_CHARACTERS = 22;
/** The width of one character of a 12px bold label, in chart units: an estimate, generous on purpose. */
const CHARACTER_WIDTH = 7.4;
const LABEL_HEIGHT = 15;
/** Room at the left of the cost axis for models that recorded no cost (a log axis has no 0). */
const ZERO_COLUMN = 34;

function describePoint(point: CostPoint): string {
  return `${point.modelId}: ${formatCost(point.avgCost)} per call, ${formatPercent(point.successRate)} success, ${formatSamples(point.samples)}`;
}

/**
 * Average cost per call (log axis: model prices differ a hundredfold) against success rate (an axis that
 * fits the data), one point per model sized by its samples; the cheap and good models sit at the top left.
 * Labels are placed so that none overlaps another label or a point.
 */
export function costChart(task: TaskDashboard, styles: ModelStyles, id: string): SafeHtml {
  const points = task.costPoints;
  const frame = {
    kind: 'cost' as const,
    id,
    width: WIDTH,
    height: HEIGHT,
    label: `Average cost per call (log scale) against success rate on ${task.taskType}`,
    description: points.length === 0 ? 'No model has a sample yet.' : `${points.map(describePoint).join('; ')}.`,
  };
  if (points.length === 0) return chartSvg(frame, emptyNote(WIDTH, HEIGHT, 'No samples yet'));

  const priced = points.filter((point) => point.avgCost > 0).map((point) => point.avgCost);
  const hasZero = priced.length < points.length;
  const ticks = priced.length === 0 ? [0.001, 0.01] : logTicks(Math.min(...priced), Math.max(...priced));
  const axisLeft = LEFT + (hasZero ? ZERO_COLUMN : 0) + MAX_RADIUS;
  const logX = logScale([ticks[0] ?? 0.001, ticks.at(-1) ?? 0.01], [axisLeft, WIDTH - RIGHT - MAX_RADIUS]);
  const x = (cost: number): number => (cost > 0 ? logX(cost) : LEFT + MAX_RADIUS);
  const successAxis = fittedRateAxis(points.map((point) => point.successRate));
  const y = linearScale(successAxis.domain, [HEIGHT - BOTTOM - MAX_RADIUS, TOP + MAX_RADIUS]);
  const maxSamples = Math.max(...points.map((point) => point.samples));
  const radius = (samples: number): number => MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * Math.sqrt(samples / maxSamples);

  const rateGrid = rateAxis(y, successAxis.ticks, LEFT, WIDTH - RIGHT);
  const costTicks = [...(hasZero ? [0] : []), ...ticks].map(
    (cost) =>
      html`<line class="gridline" x1="${px(x(cost))}" x2="${px(x(cost))}" y1="${TOP}" y2="${HEIGHT - BOTTOM}"/><text class="tick" x="${px(x(cost))}" y="${HEIGHT - BOTTOM + 15}" text-anchor="middle">${cost === 0 ? 'none' : formatCost(cost)}</text>`,
  );
  const axisTitles = html`<text class="axis-title" x="${(LEFT + WIDTH - RIGHT) / 2}" y="${HEIGHT - 6}" text-anchor="middle">average cost per call (log scale)</text>`;

  // Largest first: drawn first so a small point is never hidden under a big one, and labelled first.
  const bySize = [...points].sort((a, b) => b.samples - a.samples);
  const labels = bySize.map((point) => truncate(point.modelId, LABEL_CHARACTERS));
  const placements = placeLabels(
    bySize.map((point, index) => ({
      x: x(point.avgCost),
      y: y(point.successRate),
      radius: radius(point.samples),
      width: Array.from(labels[index] ?? '').length * CHARACTER_WIDTH,
      height: LABEL_HEIGHT,
    })),
    { left: LEFT, top: 0, right: WIDTH, bottom: HEIGHT - BOTTOM },
  );
  const marks = bySize.map((point, index) => {
    const { colour } = styleOf(styles, point.modelId);
    const label = labels[index] ?? point.modelId;
    const [cx, cy, r] = [px(x(point.avgCost)), px(y(point.successRate)), px(radius(point.samples))];
    const placed = placements[index] ?? { x: cx + r + 4, baseline: cy + 4, leader: false };
    const leader = placed.leader
      ? html`<line class="leader" x1="${cx}" y1="${cy}" x2="${px(placed.x < cx ? placed.x + Array.from(label).length * CHARACTER_WIDTH : placed.x)}" y2="${px(placed.baseline - 4)}" stroke="${colour}"/>`
      : '';
    return html`<g data-series="${point.modelId}"><title>${describePoint(point)}</title><circle class="point" cx="${cx}" cy="${cy}" r="${r}" fill="${colour}" stroke="${colour}"/>${leader}<text class="label" x="${px(placed.x)}" y="${px(placed.baseline)}">${label}</text></g>`;
  });
  return chartSvg(frame, html`${rateGrid}${costTicks}${axisTitles}${marks}`);
}
