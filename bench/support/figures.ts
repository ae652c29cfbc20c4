import { median } from './stats.js';

export type Backend = 'sqlite' | 'json' | 'postgres';
export type Unit = 'ops/s' | 'ms' | 'µs' | 's' | 'MB';

/**
 * A target from the spec. `on: 'ratio'` compares the figure's ratio to its baseline (ours / baseline,
 * in the figure's unit: a throughput ratio of 0.9 is 0.9x as fast, a time ratio of 1.3 takes 1.3x as
 * long); `on: 'value'` compares the figure itself.
 */
export interface Target {
  on: 'value' | 'ratio';
  op: '>=' | '<=' | '<';
  limit: number;
  /** As the spec words it, for the table. */
  text: string;
}

/** One measured quantity: every sample, and the median that the tables show. */
export interface Series {
  label: string;
  value: number;
  samples: number[];
}

export interface Figure {
  id: string;
  backend: Backend;
  label: string;
  unit: Unit;
  ours: Series;
  baseline?: Series;
  /** ours.value / baseline.value. */
  ratio?: number;
  target?: Target;
  note?: string;
}

export type Status = 'PASS' | 'MISS';

export interface FigureSpec {
  id: string;
  backend: Backend;
  label: string;
  unit: Unit;
  ours: { label: string; samples: readonly number[] };
  baseline?: { label: string; samples: readonly number[] };
  target?: Target;
  note?: string;
}

function series(label: string, samples: readonly number[]): Series {
  return { label, value: median(samples), samples: [...samples] };
}

/** A figure from its samples: medians and the ratio are computed here, nowhere else. */
export function figure(spec: FigureSpec): Figure {
  const result: Figure = {
    id: spec.id,
    backend: spec.backend,
    label: spec.label,
    unit: spec.unit,
    ours: series(spec.ours.label, spec.ours.samples),
  };
  if (spec.baseline !== undefined) {
    const baseline = series(spec.baseline.label, spec.baseline.samples);
    result.baseline = baseline;
    result.ratio = result.ours.value / baseline.value;
  }
  if (spec.target !== undefined) result.target = spec.target;
  if (spec.note !== undefined) result.note = spec.note;
  return result;
}

/** The same figure with the samples of another process of a repeated case added. */
export function mergeFigures(a: Figure, b: Figure): Figure {
  return figure({
    id: a.id,
    backend: a.backend,
    label: a.label,
    unit: a.unit,
    ours: { label: a.ours.label, samples: [...a.ours.samples, ...b.ours.samples] },
    ...(a.baseline === undefined || b.baseline === undefined
      ? {}
      : { baseline: { label: a.baseline.label, samples: [...a.baseline.samples, ...b.baseline.samples] } }),
    ...(a.target === undefined ? {} : { target: a.target }),
    ...(a.note === undefined ? {} : { note: a.note }),
  });
}

export function status(figure: Figure): Status | undefined {
  const { target } = figure;
  if (target === undefined) return undefined;
  const actual = target.on === 'ratio' ? figure.ratio : figure.ours.value;
  if (actual === undefined || Number.isNaN(actual)) return 'MISS';
  const met =
    target.op === '>=' ? actual >= target.limit : target.op === '<=' ? actual <= target.limit : actual < target.limit;
  return met ? 'PASS' : 'MISS';
}
