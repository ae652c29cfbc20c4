import { styleText } from 'node:util';
import type { Logger } from '../index.js';
import type { ErrorReport } from './errors.js';
import { createProgress, type Progress, type ProgressTarget } from './progress.js';

export interface OutputStream extends ProgressTarget {
  write(text: string): unknown;
}

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  env: NodeJS.ProcessEnv;
}

/**
 * Where a command's words go. stdout carries the result only: a table, or with --json one JSON
 * document; notes, warnings and progress go to stderr, and --quiet silences all of those but errors.
 */
export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  /** Set by a result that reports a failure without being an error (verify's mismatch): exit 1, one output. */
  exitCode = 0;
  /** Colours for stdout's text. */
  readonly paint: Painter;
  readonly #stdout: OutputStream;
  readonly #stderr: OutputStream;
  readonly #paintError: Painter;
  readonly #noted = new Set<string>();

  constructor(stdout: OutputStream, stderr: OutputStream, { json, quiet, env }: OutputOptions) {
    this.#stdout = escapingStream(stdout);
    this.#stderr = escapingStream(stderr);
    this.json = json;
    this.quiet = quiet;
    this.paint = painterFor(wantsColour(stdout, env));
    this.#paintError = painterFor(wantsColour(stderr, env));
  }

  /** The command's result: `value` as one line of JSON with --json, else the human lines. */
  result(value: unknown, human: () => readonly string[]): void {
    if (this.json) {
      this.#stdout.write(`${JSON.stringify(value)}\n`);
    } else {
      for (const line of human()) this.#stdout.write(`${line}\n`);
    }
  }

  /** Raw text on stdout, for an export written there. */
  raw(text: string): void {
    this.#stdout.write(text);
  }

  note(message: string): void {
    if (!this.quiet) this.#stderr.write(`${message}\n`);
  }

  /** A note said at most once per run, however many times the same situation comes up. */
  noteOnce(key: string, message: string): void {
    if (this.#noted.has(key)) return;
    this.#noted.add(key);
    this.note(message);
  }

  warn(message: string): void {
    if (!this.quiet) this.#stderr.write(`${this.#paintError('yellow', 'warning')}: ${message}\n`);
  }

  /** A problem reported on the way (a log line of level error): printed whatever --quiet says. */
  problem(message: string): void {
    this.#stderr.write(`${this.#paintError('red', 'error')}: ${message}\n`);
  }

  /** Errors print whatever --quiet says; with --json the same report also goes to stdout as JSON. */
  error(report: ErrorReport, stack?: string): void {
    this.#stderr.write(`${this.#paintError(['bold', 'red'], 'error')} ${report.code}: ${report.message}\n`);
    this.#stderr.write(`${this.#paintError('dim', 'hint')}: ${report.hint}\n`);
    if (stack !== undefined) this.#stderr.write(`${stack}\n`);
    if (this.json) this.#stdout.write(`${JSON.stringify({ error: report })}\n`);
  }

  /** Debug lines, shown only with --debug (the caller decides). */
  debug(message: string): void {
    this.#stderr.write(`${this.#paintError('dim', `debug: ${message}`)}\n`);
  }

  /** Runs a long task with a progress report on stderr, ended however the task ends. */
  async track<Result>(label: string, task: (progress: Progress) => Promise<Result>): Promise<Result> {
    const progress = createProgress(label, this.#stderr, { quiet: this.quiet });
    try {
      return await task(progress);
    } finally {
      progress.finish();
    }
  }
}

/**
 * The store's log through the CLI's output: its warnings (a fallback, a quarantined file) matter to
 * whoever runs a command, its info and debug lines only to someone debugging.
 */
export function cliLogger(out: Output, debug: boolean): Logger {
  const verbose = (message: string): void => {
    if (debug) out.debug(message);
  };
  return {
    error: (message) => out.problem(message),
    warn: (message) => out.warn(message),
    info: verbose,
    debug: verbose,
  };
}

export interface LogEntry {
  level: keyof Logger;
  message: string;
}

/** Keeps what the store logs, for commands that report it as their result (doctor, migrate). */
export function captureLogger(): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const keep =
    (level: keyof Logger) =>
    (message: string): void => {
      entries.push({ level, message });
    };
  return { logger: { error: keep('error'), warn: keep('warn'), info: keep('info'), debug: keep('debug') }, entries };
}

export type StyleFormat = Parameters<typeof styleText>[0];

/** Colours text for one stream, or leaves it plain. */
export type Painter = (format: StyleFormat, text: string) => string;

interface ColourTarget {
  isTTY?: boolean;
}

/**
 * Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org: any non-empty
 * value). Decided here rather than by styleText's validateStream, which Node 20 does not know.
 */
export function wantsColour(stream: ColourTarget, env: NodeJS.ProcessEnv): boolean {
  const noColor = env.NO_COLOR;
  return stream.isTTY === true && (noColor === undefined || noColor === '') && env.TERM !== 'dumb';
}

export function painterFor(colour: boolean): Painter {
  if (!colour) return (_format, text) => text;
  return (format, text) => styleText(format, text, { validateStream: false });
}

/**
 * Characters that a terminal acts on or that disguise text: C0 controls but newline and tab, DEL, C1
 * controls (U+009B alone is a CSI to some terminals), bidi embeddings, overrides and isolates, and
 * zero-width characters. Names read back from a store dir may hold any of them (the dir may be somebody
 * else's), so every byte the CLI prints passes through here.
 */
const UNSAFE_CHARACTERS =
  '[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\ufeff]';
const UNSAFE = new RegExp(UNSAFE_CHARACTERS, 'g');

/**
 * What a terminal stream may carry as is: only the colour (SGR) sequences the painter writes, the line
 * clear and carriage return of a progress bar. Anything else starting with ESC is escaped like any control.
 */
const TERMINAL_UNSAFE = new RegExp(`\\u001b\\[[0-9;]*m|\\u001b\\[2K|\\r|${UNSAFE_CHARACTERS}`, 'g');

/**
 * As `\uXXXX`: visible, and the same escape JSON uses, so that a JSON document stays valid JSON
 * with the same value (JSON.stringify already escapes C0 controls; this covers the rest).
 */
function visible(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

export function escapeTerminalText(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Escapes what is not the sequences this process writes on purpose to a terminal (colour, progress bar). */
function escapeForTerminal(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (match) => (match === '\r' || match.length > 1 ? match : visible(match)));
}

/**
 * The one place where the CLI's output is made safe to print: a stream that escapes every write. On a
 * terminal the painter's colours and the progress bar's redraw pass; anywhere else nothing does.
 */
export function escapingStream(stream: OutputStream): OutputStream {
  const makeSafe = stream.isTTY === true ? escapeForTerminal : escapeTerminalText;
  return {
    write: (text: string) => stream.write(makeSafe(text)),
    ...(stream.isTTY === undefined ? {} : { isTTY: stream.isTTY }),
  };
}
