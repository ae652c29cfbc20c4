import type { OutputStream } from './output.js';

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
