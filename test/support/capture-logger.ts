import type { Logger } from '../../src/core/logger.js';

/** A logger that keeps what it is told, so tests can assert the warning, not just see it. */
export function captureLogger(): Logger & { lines: Array<{ level: string; message: string }> } {
  const lines: Array<{ level: string; message: string }> = [];
  const keep = (level: string) => (message: string) => {
    lines.push({ level, message });
  };
  return { lines, error: keep('error'), warn: keep('warn'), info: keep('info'), debug: keep('debug') };
}
