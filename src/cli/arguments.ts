import { parseArgs } from 'node:util';
import type { Command, OptionSpecs } from './command.js';
import { usageError } from './errors.js';

type OptionValues = Record<string, string | boolean | undefined>;

/** A plain decimal number: Number() alone would also take '', '0x10', 'Infinity' and ' 1 '. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const NEGATIVE_NUMBER = /^-\.?\d/;

/** What a numeric option accepts. */
export interface NumberBounds {
  integer?: boolean;
  min?: number;
  /** True when min itself is not allowed (a window of 0 days). */
  aboveMin?: boolean;
  max?: number;
}

const ANY_NUMBER: NumberBounds = {};
export const NON_NEGATIVE: NumberBounds = { min: 0 };
export const WHOLE_NUMBER: NumberBounds = { integer: true, min: 0 };
/** The learner's limits: a window of up to 100 years, a trend of up to 10 years. */
export const WINDOW_DAYS: NumberBounds = { min: 0, aboveMin: true, max: 36_525 };
export const TREND_DAYS: NumberBounds = { integer: true, min: 1, max: 3653 };
export const PORT: NumberBounds = { integer: true, min: 0, max: 65_535 };
export const FRACTION: NumberBounds = { min: 0, max: 1 };

function describeBounds({ integer, min, aboveMin, max }: NumberBounds): string {
  const kind = integer === true ? 'a whole number' : 'a number';
  if (min === undefined) return kind;
  const lower = `${aboveMin === true ? '>' : '>='} ${min}`;
  return max === undefined ? `${kind} ${lower}` : `${kind} ${lower} and <= ${max}`;
}

function stringOptionNames(specs: OptionSpecs): Set<string> {
  return new Set(
    Object.entries(specs)
      .filter(([, spec]) => spec.type === 'string')
      .map(([name]) => `--${name}`),
  );
}

/**
 * `--tokens -5` becomes `--tokens=-5`: parseArgs would take -5 for an option of its own, and a
 * negative number deserves an error about the value of --tokens, not one about a "-5" option.
 */
function joinNegativeValues(argv: readonly string[], specs: OptionSpecs): string[] {
  const takesValue = stringOptionNames(specs);
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    const next = argv[index + 1];
    if (arg === '--') {
      joined.push(...argv.slice(index));
      break;
    }
    if (takesValue.has(arg) && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      joined.push(`${arg}=${next}`);
      index += 1;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/**
 * The command is the first word that is neither an option nor the value of a global option, so that
 * global options may come before it (`model-perf --dir x rank t`) as well as after it.
 */
export function splitCommand(
  argv: readonly string[],
  globalSpecs: OptionSpecs,
): { name: string | undefined; rest: string[] } {
  const takesValue = stringOptionNames(globalSpecs);
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === '--') break;
    if (takesValue.has(arg)) {
      index += 1;
    } else if (!arg.startsWith('-')) {
      return { name: arg, rest: [...argv.slice(0, index), ...argv.slice(index + 1)] };
    }
  }
  return { name: undefined, rest: [...argv] };
}

/**
 * True when one of the flags appears before any `--`, read from the raw line: --help must win over any
 * other mistake on it, and a parse error must already be reported in the form --json asks for.
 */
export function hasFlag(argv: readonly string[], ...flags: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => flags.includes(arg));
}

function quotedOption(message: string): string | undefined {
  return /'([^']+)'/.exec(message)?.[1];
}

/** parseArgs in strict mode; its errors become usage errors (exit 2) that name the command. */
export function parseCommandLine(
  command: Command | undefined,
  argv: readonly string[],
  globalSpecs: OptionSpecs,
): ParsedArguments {
  const specs: OptionSpecs = { ...globalSpecs, ...command?.options };
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short },
    ]),
  );
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, specs), options, strict: true, allowPositionals: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const where = command === undefined ? '' : ` for ${command.name}`;
      const typed = quotedOption(message) ?? message;
      const meant = nearestWord(typed.replace(/^-+/, '').replace(/=.*$/, ''), Object.keys(specs));
      const suggestion = meant === undefined ? '' : ` (did you mean --${meant}?)`;
      throw usageError(`Unknown option ${typed}${where}${suggestion}`, command?.name);
    }
    throw usageError(message, command?.name);
  }
  return new ParsedArguments(command, parsed.values, parsed.positionals);
}

/** A command's parsed line, read through typed getters that turn bad values into usage errors. */
export class ParsedArguments {
  readonly #command: Command | undefined;
  readonly #values: OptionValues;
  readonly #positionals: readonly string[];

  constructor(command: Command | undefined, values: OptionValues, positionals: readonly string[]) {
    this.#command = command;
    this.#values = values;
    this.#positionals = positionals;
    const allowed = command?.positionals.length ?? 0;
    if (positionals.length > allowed) {
      throw usageError(
        `Unexpected argument ${JSON.stringify(positionals[allowed])}${command === undefined ? '' : ` for ${command.name}`}`,
        command?.name,
      );
    }
  }

  /** The command this line is for, for errors that name its help. */
  get commandName(): string | undefined {
    return this.#command?.name;
  }

  #fail(message: string): never {
    throw usageError(message, this.#command?.name);
  }

  positional(name: string): string | undefined {
    const index = this.#command?.positionals.findIndex((spec) => spec.name === name) ?? -1;
    return index === -1 ? undefined : this.#positionals[index];
  }

  requiredPositional(name: string): string {
    const value = this.positional(name);
    if (value === undefined || value === '') this.#fail(`Missing <${name}>`);
    return value;
  }

  flag(name: string): boolean {
    return this.#values[name] === true;
  }

  string(name: string): string | undefined {
    const value = this.#values[name];
    return typeof value === 'string' ? value : undefined;
  }

  /** A number within `bounds` (default: any finite number); anything else is a usage error naming the flag. */
  number(name: string, bounds: NumberBounds = ANY_NUMBER): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const number = Number(value);
    const fits =
      DECIMAL.test(value) &&
      Number.isFinite(number) &&
      (!bounds.integer || Number.isSafeInteger(number)) &&
      (bounds.min === undefined || number > bounds.min || (number === bounds.min && !bounds.aboveMin)) &&
      (bounds.max === undefined || number <= bounds.max);
    if (!fits) this.#fail(`--${name} expects ${describeBounds(bounds)}, got ${JSON.stringify(value)}`);
    return number;
  }

  choice<Choice extends string>(name: string, choices: readonly Choice[]): Choice | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!(choices as readonly string[]).includes(value)) {
      this.#fail(`--${name} expects one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
    }
    return value as Choice;
  }

  /** A comma-separated list, e.g. --models a,b; empty items are dropped. */
  list(name: string): string[] | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    if (items.length === 0) this.#fail(`--${name} expects a comma-separated list, got ${JSON.stringify(value)}`);
    return items;
  }

  /** A comma-separated list that the command cannot do without. */
  requiredList(name: string): string[] {
    return this.list(name) ?? this.#fail(`Missing --${name}`);
  }

  /** Fails when two options that exclude each other are both given; `why` says why, when it is not obvious. */
  exclusive(first: string, second: string, why?: string): void {
    if (this.#values[first] !== undefined && this.#values[second] !== undefined) {
      this.#fail(`--${first} and --${second} cannot be used together${why === undefined ? '' : `: ${why}`}`);
    }
  }
}

/** The object without its undefined properties: options left out stay absent, as exactOptionalPropertyTypes asks. */
export function definedOnly<Input extends object>(
  input: Input,
): { [Key in keyof Input]?: Exclude<Input[Key], undefined> } {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as {
    [Key in keyof Input]?: Exclude<Input[Key], undefined>;
  };
}

/** Edits (insert, delete, substitute, swap two neighbours) that turn one word into the other. */
function editDistance(from: string, to: string): number {
  const rows = Array.from({ length: from.length + 1 }, (_, i) =>
    Array.from({ length: to.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= from.length; i += 1) {
    const row = rows[i] ?? [];
    for (let j = 1; j <= to.length; j += 1) {
      const cost = from[i - 1] === to[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && from[i - 1] === to[j - 2] && from[i - 2] === to[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      row[j] = best;
    }
  }
  return at(from.length, to.length);
}

/**
 * The known word a typo most likely meant (`tokns` -> `tokens`), or undefined when none is close: a
 * wild guess would mislead more than no guess. Close is at most a third of the word's letters, and 2.
 */
export function nearestWord(typed: string, known: readonly string[]): string | undefined {
  const limit = Math.min(2, Math.max(1, Math.floor(typed.length / 3)));
  let best: { word: string; distance: number } | undefined;
  for (const word of known) {
    const distance = editDistance(typed, word);
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { word, distance };
  }
  return best?.word;
}
