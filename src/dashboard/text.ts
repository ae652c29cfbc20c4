// Text on the page: markup that escapes all it is given, and numbers, costs and days in words.

/**
 * Markup that is safe to place in the page as is. Only the `html` tag (which escapes every value it is
 * given) and `trustedMarkup` (for this package's own constants) make one, so store text cannot reach the
 * page without passing through escapeHtml.
 */
export class SafeHtml {
  readonly #markup: string;

  private constructor(markup: string) {
    this.#markup = markup;
  }

  /** Wraps markup written in this package's source, never text from a store or a caller. */
  static fromTrustedSource(markup: string): SafeHtml {
    return new SafeHtml(markup);
  }

  toString(): string {
    return this.#markup;
  }
}

/** What a template may interpolate: numbers and strings are data, SafeHtml is markup, arrays are joined. */
export type HtmlValue = SafeHtml | string | number | readonly HtmlValue[];

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * The one escaping function of the dashboard. Escaping all five characters makes the result safe both as
 * element text (HTML and inline SVG <text>, which the HTML parser reads alike) and inside a quoted
 * attribute value, so callers need not know which context they write into.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

function toMarkup(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(toMarkup).join('');
}

/** A template tag: the literal parts are markup, every interpolated string is escaped. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? '';
  values.forEach((value, index) => {
    markup += toMarkup(value) + (strings[index + 1] ?? '');
  });
  return SafeHtml.fromTrustedSource(markup);
}

const costFormat = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumSignificantDigits: 4,
});

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A rate in [0, 1] as a percentage with one decimal: 0.8734 -> "87.3%". */
export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** An axis tick: 0.25 -> "25%". */
export function formatTickPercent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

/** Dollars to 4 significant digits, since per-call costs are often fractions of a cent: "$0.01235". */
export function formatCost(usd: number): string {
  return costFormat.format(usd);
}

/** A whole number with thousands separators: "12,345". */
export function formatCount(count: number): string {
  return countFormat.format(count);
}

/** "12 samples", "1 sample". */
export function formatSamples(samples: number): string {
  return `${formatCount(samples)} ${samples === 1 ? 'sample' : 'samples'}`;
}

/** A UTC day YYYY-MM-DD as a short axis label: "Mar 5". */
export function formatDay(day: string): string {
  return new Date(`${day}T00:00:00.000Z`).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/** An instant as "2026-03-15 12:00 UTC": unambiguous whatever the reader's time zone. */
export function formatTimestamp(time: Date): string {
  return `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
