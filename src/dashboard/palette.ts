import type { DashboardData } from './dashboard-data.js';

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
