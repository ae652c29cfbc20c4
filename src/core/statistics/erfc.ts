// Where the series hands over to the continued fraction: the series leaves erfc(x) >= 0.0047 to the
// subtraction 1 - erf(x), and the fraction needs fewer than 60 steps from here on.
const SERIES_LIMIT = 2;
const MAX_ITERATIONS = 500;

/**
 * The complementary error function, to near double precision: p-values live in the far tail, where
 * 1 - erf(x) computed naively would cancel to 0.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  return x < SERIES_LIMIT ? 1 - erfSeries(x) : erfcContinuedFraction(x);
}

/**
 * erf(x) = 2/sqrt(pi) * exp(-x^2) * sum over n of (2x^2)^n * x / (1*3*...*(2n+1)). Every term is
 * positive, so nothing cancels within the sum.
 */
function erfSeries(x: number): number {
  const twiceSquare = 2 * x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < MAX_ITERATIONS && term > sum * Number.EPSILON; n += 1) {
    term *= twiceSquare / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

/**
 * erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + (2/2)/(x + (3/2)/(x + ...)))), evaluated with the
 * modified Lentz method.
 */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let fraction = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < MAX_ITERATIONS; k += 1) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    fraction *= delta;
    if (Math.abs(delta - 1) < Number.EPSILON) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * fraction);
}
