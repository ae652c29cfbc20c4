import { compareText } from '../core/stats.js';
import type { SummaryRow } from '../core/types.js';
import { DAY_MS, modelIdOf } from './model-stats-source.js';
import { OptionReader } from './option-reader.js';
import type { ResolvedPolicy } from './policy.js';

/** Ten years of days: a longer trend is a typo, and each day adds a row per model. */
const MAX_TREND_DAYS = 3653;

export interface TrendOptions {
  /** How many UTC days, today included. Default 30. */
  days?: number;
  /** Where "today" is. Default: the policy's clock. */
  now?: Date | string;
}

export interface TrendPoint {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  modelId: string;
  attempts: number;
  wins: number;
  /** null on a day without attempts: no rate was observed, which a chart must not draw as 0%. */
  successRate: number | null;
}

export interface TrendWindow {
  /** Midnight UTC of the first day. */
  since: string;
  /** Midnight UTC after today: the exclusive end. */
  until: string;
  /** Every day of the window, oldest first. */
  days: string[];
}

const TREND_KEYS = ['days', 'now'] as const;

export function readTrendWindow(options: unknown, policy: ResolvedPolicy): TrendWindow {
  const reader = new OptionReader(options, TREND_KEYS, 'MP_INVALID_QUERY');
  const dayCount = reader.integer('days', 30, 1, MAX_TREND_DAYS);
  const now = reader.optionalTime('now') ?? policy.now().toISOString();
  const tomorrow = Date.parse(`${now.slice(0, 10)}T00:00:00.000Z`) + DAY_MS;
  const first = tomorrow - dayCount * DAY_MS;
  const days = Array.from({ length: dayCount }, (_, index) =>
    new Date(first + index * DAY_MS).toISOString().slice(0, 10),
  );
  return { since: new Date(first).toISOString(), until: new Date(tomorrow).toISOString(), days };
}

/**
 * One point per day and model, from summarize rows grouped by day+model: every model seen in the
 * window appears on every day, so each model's series has the same length and days line up.
 */
export function buildTrend(rows: readonly SummaryRow[], window: TrendWindow): TrendPoint[] {
  const byDayAndModel = new Map(rows.map((row) => [`${row.day}\u0000${row.modelId}`, row]));
  const models = [...new Set(rows.map(modelIdOf))].sort(compareText);
  return window.days.flatMap((day) =>
    models.map((modelId) => {
      const row = byDayAndModel.get(`${day}\u0000${modelId}`);
      const attempts = row?.trials ?? 0;
      const wins = row?.wins ?? 0;
      return { day, modelId, attempts, wins, successRate: attempts === 0 ? null : wins / attempts };
    }),
  );
}
