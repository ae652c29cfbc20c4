import { html, type SafeHtml } from './escape.js';
import { formatTickPercent } from './format.js';
import { px } from './scale.js';

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
