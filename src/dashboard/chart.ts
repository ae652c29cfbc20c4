// What every chart of the page shares: the SVG frame and axes, the scales and ticks, and one colour per model.

import type { DashboardData } from './dashboard-data.js';
import { formatTickPercent, html, type SafeHtml } from './text.js';

export type ChartKind = 'ranking' | 'trend' | 'cost';

export interface ChartFrame {
  kind: ChartKind;
  /** Unique in the page; names the title and description for assistive technology. */
  id: string;
  width: number;
  height: number;
  /** A short accessible name, also shown as a tooltip. */
  label: string;
  /** The chart's data in words, for readers who cannot see it. */
  description: string;
}

/** An inline SVG chart scaled to its container, named and described for screen readers. */
export function chartSvg(frame: ChartFrame, content: SafeHtml): SafeHtml {
  const { kind, id, width, height, label, description } = frame;
  return html`<svg class="chart" data-chart="${kind}" id="${id}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}" aria-describedby="${id}-desc"><title>${label}</title><desc id="${id}-desc">${description}</desc>${content}</svg>`;
}

/** Shortens long names in charts (the full name stays in the tooltip and the panels); counts code points. */
export function truncate(text: string, maxLength: number): string {
  const characters = Array.from(text);
  return characters.length <= maxLength ? text : `${characters.slice(0, maxLength - 1).join('')}…`;
}

/** A centred note inside an empty chart, so the chart keeps its place and its size. */
export function emptyNote(width: number, height: number, note: string): SafeHtml {
  return html`<text class="empty-note" x="${width / 2}" y="${height / 2}" text-anchor="middle">${note}</text>`;
}

/** Horizontal gridlines at the given success rates, labelled on the left of the plot. */
export function rateAxis(
  y: (rate: number) => number,
  ticks: readonly number[],
  left: number,
  right: number,
): SafeHtml[] {
  return ticks.map(
    (rate) =>
      html`<line class="gridline" x1="${left}" x2="${right}" y1="${px(y(rate))}" y2="${px(y(rate))}"/><text class="tick" x="${left - 6}" y="${px(y(rate)) + 4}" text-anchor="end">${formatTickPercent(rate)}</text>`,
  );
}

/** Maps a data interval onto a pixel interval; a zero-width domain maps everything to the middle. */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  return (value: number): number => (d1 === d0 ? (r0 + r1) / 2 : r0 + ((value - d0) / (d1 - d0)) * (r1 - r0));
}

/**
 * Round tick values from 0 to at least `max`, about `count` steps of 1, 2 or 5 times a power of ten, so
 * that an axis reads "$0, $0.02, $0.04" rather than "$0, $0.0173, $0.0346".
 */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((factor) => factor * power >= rough) ?? 10) * power;
  const steps = Math.ceil(max / step - 1e-9);
  // Multiplying (rather than adding up steps) keeps 0.1 * 3 from drifting into 0.30000000000000004 ticks.
  return Array.from({ length: steps + 1 }, (_, index) => Number((index * step).toPrecision(12)));
}

/** SVG coordinates to a tenth of a pixel: finer is invisible and only bloats the page. */
export function px(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Maps positive values onto a pixel interval by their logarithm, so each tenfold step takes equal room. */
export function logScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): (value: number) => number {
  const linear = linearScale([Math.log10(domain[0]), Math.log10(domain[1])], range);
  return (value: number): number => linear(Math.log10(value));
}

const LOG_STEPS = [1, 2, 5] as const;

/**
 * Ticks for a log axis over [min, max] (both > 0): the 1-2-5 values of each decade, widened outwards to
 * the nearest of them, so the data sits inside round labels ("$0.001, $0.002, $0.005, $0.01"). Past three
 * decades only the powers of ten are labelled, which keeps the labels apart.
 */
export function logTicks(min: number, max: number): number[] {
  const low = Math.floor(Math.log10(min));
  const high = Math.ceil(Math.log10(max));
  const steps = high - low > 3 ? [1] : LOG_STEPS;
  const candidates: number[] = [];
  for (let power = low; power <= high; power += 1) {
    for (const step of steps) candidates.push(Number((step * 10 ** power).toPrecision(12)));
  }
  const first = candidates.filter((tick) => tick <= min * (1 + 1e-9)).at(-1) ?? candidates[0] ?? min;
  // At least one step past the first tick, so that one price alone still gets an axis.
  const last = candidates.find((tick) => tick >= max * (1 - 1e-9) && tick > first) ?? first * 10;
  return candidates.filter((tick) => tick >= first && tick <= last);
}

/**
 * A success-rate axis that fits the data: from a little below the lowest rate to a little above the
 * highest, on tenths, at least 30 points wide, within 0 to 100%. Its ticks are every 10 or 20 points.
 */
export function fittedRateAxis(rates: readonly number[]): { domain: [number, number]; ticks: number[] } {
  const finite = rates.filter((rate) => Number.isFinite(rate));
  if (finite.length === 0) return { domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1] };
  let low = Math.max(0, Math.floor((Math.min(...finite) - 0.03) * 10) / 10);
  let high = Math.min(1, Math.ceil((Math.max(...finite) + 0.03) * 10) / 10);
  while (high - low < 0.3) {
    if (low > 0) low = Math.max(0, low - 0.1);
    else high = Math.min(1, high + 0.1);
  }
  const step = high - low > 0.6 ? 0.2 : 0.1;
  const count = Math.round((high - low) / step);
  const ticks = Array.from({ length: count + 1 }, (_, index) => Number((low + index * step).toFixed(2)));
  return { domain: [low, high], ticks };
}

/**
 * The Okabe-Ito palette, which stays distinct under the common colour-vision deficiencies; its yellow is
 * left out because it is unreadable on white. Every model also carries a text label, so colour is never
 * the only way to tell models apart.
 */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;

/** Past seven models the colours repeat, so trend lines of the next round get a dash pattern. */
const DASHES = ['', '7 4', '2 3'] as const;

export interface ModelStyle {
  colour: string;
  /** An SVG stroke-dasharray value; empty for a solid line. */
  dash: string;
}

export type ModelStyles = ReadonlyMap<string, ModelStyle>;

/** One style per model across the whole page, so that a model looks the same in every chart and task. */
export function assignModelStyles(data: DashboardData): ModelStyles {
  const modelIds = new Set<string>();
  for (const task of data.tasks) {
    for (const row of task.ranking) modelIds.add(row.modelId);
    for (const series of task.trend.series) modelIds.add(series.modelId);
  }
  const sorted = [...modelIds].sort();
  return new Map(
    sorted.map((modelId, index) => [
      modelId,
      {
        colour: COLOURS[index % COLOURS.length] ?? COLOURS[0],
        dash: DASHES[Math.floor(index / COLOURS.length) % DASHES.length] ?? DASHES[0],
      },
    ]),
  );
}

const FALLBACK_STYLE: ModelStyle = { colour: COLOURS[0], dash: DASHES[0] };

export function styleOf(styles: ModelStyles, modelId: string): ModelStyle {
  return styles.get(modelId) ?? FALLBACK_STYLE;
}
