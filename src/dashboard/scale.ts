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
