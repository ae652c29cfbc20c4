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
