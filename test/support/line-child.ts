import { type ChildProcess, spawn } from 'node:child_process';
import { onLines } from './line-stream.js';

/**
 * A child process that answers each line it is sent with one JSON line (and may print lines of its own
 * first): replies are taken in order, so a test can drive it step by step.
 */
export class LineChild {
  readonly #child: ChildProcess;
  readonly #lines: Array<Record<string, unknown>> = [];
  readonly #waiting: Array<(line: Record<string, unknown>) => void> = [];
  #stderr = '';

  constructor(args: readonly string[]) {
    this.#child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    onLines(this.#child.stdout, (text) => {
      const line = JSON.parse(text) as Record<string, unknown>;
      const waiter = this.#waiting.shift();
      if (waiter === undefined) this.#lines.push(line);
      else waiter(line);
    });
    this.#child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr += chunk;
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** The next line the child prints. */
  next(): Promise<Record<string, unknown>> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Sends a command and waits for its reply. */
  send(command: string): Promise<Record<string, unknown>> {
    this.#child.stdin?.write(`${command}\n`);
    return this.next();
  }

  /** Resolves once the child is gone; kills it when it does not go by itself within graceMs. */
  async exit(graceMs = 5000): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const gone = new Promise((resolve) => this.#child.once('close', resolve));
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }
}
