import { styleText } from 'node:util';

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
