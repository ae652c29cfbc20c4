import type { Logger } from '../index.js';
import type { Output } from './output.js';

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
