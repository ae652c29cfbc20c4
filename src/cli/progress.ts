/** Reports how far a long operation is, on stderr, so that stdout stays the command's result. */
export interface Progress {
  update(done: number, total: number): void;
  /** Ends the report (a bar leaves its line); safe to call more than once. */
  finish(): void;
}

export interface ProgressTarget {
  write(text: string): unknown;
  isTTY?: boolean;
}

const BAR_WIDTH = 28;
/** A terminal redraws at most this often: a million-row import must not spend its time drawing. */
const REDRAW_MS = 80;
/** Plain lines at every tenth, so a log file gets eleven lines, not one per batch. */
const LINE_STEPS = 10;

const silent: Progress = { update() {}, finish() {} };

function ratio(done: number, total: number): number {
  return total <= 0 ? 1 : Math.min(1, done / total);
}

function counts(done: number, total: number): string {
  return `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`;
}

/** A bar redrawn in place on one line. */
function barProgress(label: string, target: ProgressTarget, now: () => number): Progress {
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let finished = false;
  return {
    update(done, total) {
      const complete = done >= total;
      // Nothing to do is not progress: a report of 0/0 would only be noise.
      if (total <= 0 || finished || (!complete && now() - lastDraw < REDRAW_MS)) return;
      lastDraw = now();
      const filled = Math.round(ratio(done, total) * BAR_WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
      const percent = `${Math.floor(ratio(done, total) * 100)}%`.padStart(4);
      // \r back to the line's start, then erase it: a shorter redraw must not leave the old tail behind.
      target.write(`\r\x1b[2K${label} ${bar} ${percent} ${counts(done, total)}`);
      drawn = true;
    },
    finish() {
      if (finished) return;
      finished = true;
      if (drawn) target.write('\n');
    },
  };
}

/** One line per tenth reached, for logs and pipes where a redrawn bar would be garbage. */
function lineProgress(label: string, target: ProgressTarget): Progress {
  let lastStep = -1;
  return {
    update(done, total) {
      const step = Math.floor(ratio(done, total) * LINE_STEPS);
      if (total <= 0 || step <= lastStep) return;
      lastStep = step;
      target.write(`${label}: ${counts(done, total)} (${step * LINE_STEPS}%)\n`);
    },
    finish() {},
  };
}

export function createProgress(
  label: string,
  target: ProgressTarget,
  { quiet, now = Date.now }: { quiet: boolean; now?: () => number },
): Progress {
  if (quiet) return silent;
  return target.isTTY === true ? barProgress(label, target, now) : lineProgress(label, target);
}
