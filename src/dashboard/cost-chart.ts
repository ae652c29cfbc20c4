import {
  chartSvg,
  emptyNote,
  fittedRateAxis,
  linearScale,
  logScale,
  logTicks,
  type ModelStyles,
  px,
  rateAxis,
  styleOf,
  truncate,
} from './chart.js';
import type { CostPoint, TaskDashboard } from './dashboard-data.js';
import { formatCost, formatPercent, formatSamples, html, type SafeHtml } from './text.js';

/** An axis-aligned box in chart coordinates. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface LabelledPoint {
  x: number;
  y: number;
  radius: number;
  /** The label's width and height in chart units (estimated from its characters). */
  width: number;
  height: number;
}

export interface PlacedLabel {
  /** Where the text starts (text-anchor start) and its baseline. */
  x: number;
  baseline: number;
  /** True when the label sits away from its point and needs a leader line to it. */
  leader: boolean;
}

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

function circleBox(point: LabelledPoint): Box {
  return {
    left: point.x - point.radius,
    top: point.y - point.radius,
    right: point.x + point.radius,
    bottom: point.y + point.radius,
  };
}

/** Candidate top-left corners around a point: beside it first, then above and below, then further out. */
function candidates(point: LabelledPoint): Array<{ left: number; top: number; leader: boolean }> {
  const gap = 4;
  const { x, y, radius, width, height } = point;
  const right = x + radius + gap;
  const left = x - radius - gap - width;
  const middle = y - height / 2;
  const near = [
    { left: right, top: middle },
    { left, top: middle },
    { left: x - width / 2, top: y - radius - gap - height },
    { left: x - width / 2, top: y + radius + gap },
    { left: right, top: y - radius - height },
    { left: right, top: y + radius },
    { left, top: y - radius - height },
    { left, top: y + radius },
  ].map((corner) => ({ ...corner, leader: false }));
  // Further out, a line at a time up and down, on either side, with a leader line back to the point.
  const far = Array.from({ length: 12 }, (_, index) => index + 1).flatMap((step) =>
    [-1, 1].flatMap((direction) =>
      [10, 40].flatMap((offset) => [
        { left: right + offset, top: middle + direction * step * height, leader: true },
        { left: left - offset, top: middle + direction * step * height, leader: true },
      ]),
    ),
  );
  return [...near, ...far];
}

/**
 * Places one label per point so that no label overlaps another label or any point, trying spots beside,
 * above and below each point and then further out with a leader line. Points are placed in the order
 * given (put the most important first); a label that fits nowhere takes the spot with the fewest overlaps.
 */
export function placeLabels(points: readonly LabelledPoint[], bounds: Box): PlacedLabel[] {
  const circles = points.map(circleBox);
  const placed: Box[] = [];
  return points.map((point) => {
    let best: { box: Box; leader: boolean; collisions: number } | undefined;
    for (const corner of candidates(point)) {
      const box = {
        left: corner.left,
        top: corner.top,
        right: corner.left + point.width,
        bottom: corner.top + point.height,
      };
      const inside =
        box.left >= bounds.left && box.right <= bounds.right && box.top >= bounds.top && box.bottom <= bounds.bottom;
      if (!inside) continue;
      const collisions = [...placed, ...circles].filter((other) => overlaps(box, other)).length;
      if (best === undefined || collisions < best.collisions) best = { box, leader: corner.leader, collisions };
      if (collisions === 0) break;
    }
    const box = best?.box ?? { left: point.x + point.radius + 4, top: point.y - point.height / 2, right: 0, bottom: 0 };
    if (best !== undefined) placed.push(best.box);
    // Text baselines sit about a quarter of the line height above the box's bottom.
    return { x: box.left, baseline: box.top + point.height * 0.78, leader: best?.leader ?? false };
  });
}

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
    description: points.length === 0 ? 'No model has a recorded cost yet.' : `${points.map(describePoint).join('; ')}.`,
  };
  if (points.length === 0) return chartSvg(frame, emptyNote(WIDTH, HEIGHT, 'No costs recorded yet'));

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
