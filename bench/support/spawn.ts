import { fork } from 'node:child_process';

/** Children run compiled JavaScript (see compile.ts) and may force a GC between blocks. */
const CHILD_EXEC_ARGV = ['--expose-gc'];

export interface ChildExit<Message> {
  /** The last message it sent, if any. */
  message: Message | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  wallMs: number;
}

/**
 * Runs a compiled bench script in a child process on this same Node, its output passed through, and
 * waits for it to exit. One past its deadline is killed (SIGKILL, by its own pid): a case that hangs
 * must not stall the whole bench.
 */
export function runChild<Message>(
  script: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<ChildExit<Message>> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = fork(script, [...args], {
      execArgv: CHILD_EXEC_ARGV,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let message: Message | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('message', (received) => {
      message = received as Message;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ message, code, signal, timedOut, wallMs: performance.now() - started });
    });
  });
}
