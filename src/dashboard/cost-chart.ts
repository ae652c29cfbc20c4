import type { CostPoint, TaskDashboard } from './dashboard-data.js';
import { html, type SafeHtml } from './escape.js';
import { formatCost, formatPercent, formatSamples } from './format.js';
import { type ModelStyles, styleOf } from './palette.js';
import { linearScale, niceTicks, px } from './scale.js';
import { chartSvg, emptyNote, rateAxis, truncate } from './svg.js';

const WIDTH = 640;
const HEIGHT = 300;
const LEFT = 46;
const RIGHT = 20;
const TOP = 18;
const BOTTOM = 40;
const MIN_RADIUS = 4;
const MAX_RADIUS = 16;
const LABEL_CHARACTERS = 24;
/** A label that would run past the right edge goes to the left of its point instead. */
const LABEL_ROOM = 150;

function describePoint(point: CostPoint): string {
  return `${point.modelId}: ${formatCost(point.avgCost)} per call, ${formatPercent(point.successRate)} success, ${formatSamples(point.samples)}`;
}

/**
 * Average cost per call against success rate, one point per model sized by its samples: the cheap and good
 * models sit at the top left. Area grows with samples, so the radius grows with their square root.
 */
export function costChart(task: TaskDashboard, styles: ModelStyles, id: string): SafeHtml {
  const points = task.costPoints;
  const frame = {
    kind: 'cost' as const,
    id,
    width: WIDTH,
    height: HEIGHT,
    label: `Average cost per call against success rate on ${task.taskType}`,
    description: points.length === 0 ? 'No model has a recorded cost yet.' : `${points.map(describePoint).join('; ')}.`,
  };
  if (points.length === 0) return chartSvg(frame, emptyNote(WIDTH, HEIGHT, 'No costs recorded yet'));

  const costTicks = niceTicks(Math.max(...points.map((point) => point.avgCost)));
  const maxCost = costTicks.at(-1) ?? 1;
  const maxSamples = Math.max(...points.map((point) => point.samples));
  const x = linearScale([0, maxCost], [LEFT + MAX_RADIUS, WIDTH - RIGHT]);
  const y = linearScale([0, 1], [HEIGHT - BOTTOM, TOP]);
  const radius = (samples: number): number => MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * Math.sqrt(samples / maxSamples);

  const costAxis = costTicks.map(
    (cost) =>
      html`<text class="tick" x="${px(x(cost))}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle">${formatCost(cost)}</text>`,
  );
  const axisTitle = html`<text class="axis-title" x="${(LEFT + WIDTH - RIGHT) / 2}" y="${HEIGHT - 4}" text-anchor="middle">average cost per call</text>`;
  // Largest first, so that a small point is never hidden under a big one.
  const bySize = [...points].sort((a, b) => b.samples - a.samples);
  const marks = bySize.map((point) => {
    const { colour } = styleOf(styles, point.modelId);
    const [cx, cy, r] = [px(x(point.avgCost)), px(y(point.successRate)), px(radius(point.samples))];
    const toTheLeft = cx > WIDTH - RIGHT - LABEL_ROOM;
    const labelX = px(toTheLeft ? cx - r - 4 : cx + r + 4);
    return html`<g data-series="${point.modelId}"><title>${describePoint(point)}</title><circle class="point" cx="${cx}" cy="${cy}" r="${r}" fill="${colour}" stroke="${colour}"/><text class="label" x="${labelX}" y="${cy + 4}" text-anchor="${toTheLeft ? 'end' : 'start'}">${truncate(point.modelId, LABEL_CHARACTERS)}</text></g>`;
  });
  return chartSvg(frame, html`${rateAxis(y, LEFT, WIDTH - RIGHT)}${costAxis}${axisTitle}${marks}`);
}
