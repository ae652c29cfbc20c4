import type { Logger } from '../index.js';

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
