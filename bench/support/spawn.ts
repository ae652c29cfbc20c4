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
 * waits for it to exit. The child leads a process group of its own, and the whole group is killed when
 * it exits or passes its deadline: a case that hangs must not stall the bench, and the helper processes
 * a case forks (writers, lock holders) must not outlive it and keep writing into its work dir.
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
      detached: true,
    });
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // ESRCH: the group is gone already.
      }
    };
    let message: Message | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
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
      killGroup();
      resolve({ message, code, signal, timedOut, wallMs: performance.now() - started });
    });
  });
}
