/** Where model-perf reports what it did on its own (fallbacks, migrations, swallowed failures). */
export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

function toStderr(level: string): (message: string) => void {
  return (message) => {
    process.stderr.write(`model-perf ${level}: ${message}\n`);
  };
}

const ignore = (): void => {};

/** The default: one line on stderr for warnings and errors, nothing else. */
export const stderrLogger: Logger = Object.freeze({
  error: toStderr('error'),
  warn: toStderr('warning'),
  info: ignore,
  debug: ignore,
});

export const silentLogger: Logger = Object.freeze({ error: ignore, warn: ignore, info: ignore, debug: ignore });
