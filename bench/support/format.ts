import type { Figure, Unit } from './figures.js';

export function formatValue(value: number, unit: Unit): string {
  if (Number.isNaN(value)) return 'n/a';
  const digits = unit === 'ops/s' || unit === 'MB' ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}

export function formatRatio(figure: Figure): string {
  return figure.ratio === undefined ? '' : `${figure.ratio.toFixed(2)}x`;
}

export function formatTarget(figure: Figure): string {
  return figure.target?.text ?? '';
}

export function formatSeconds(seconds: number): string {
  return seconds < 90 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
