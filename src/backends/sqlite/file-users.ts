import { readdirSync, statSync } from 'node:fs';

/**
 * The processes that hold any of these files open, read from /proc: every process this user may see,
 * this one included. Undefined where /proc does not exist (not Linux): then nobody can tell, and the
 * caller must not move the files. A stat through /proc/<pid>/fd/<n> follows the link to the file
 * without opening it, so it touches no lock.
 */
export function processesUsing(files: readonly string[]): number[] | undefined {
  if (process.platform !== 'linux') return undefined;
  const targets = new Set<string>();
  for (const file of files) {
    const stats = statSync(file, { throwIfNoEntry: false });
    if (stats !== undefined) targets.add(`${stats.dev}:${stats.ino}`);
  }
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const users: number[] = [];
  for (const pid of pids) {
    if (holdsAny(pid, targets)) users.push(Number(pid));
  }
  return users;
}

function holdsAny(pid: string, targets: ReadonlySet<string>): boolean {
  let descriptors: string[];
  try {
    descriptors = readdirSync(`/proc/${pid}/fd`);
  } catch {
    // Exited meanwhile, or another user's process: this user could not see its files anyway.
    return false;
  }
  for (const descriptor of descriptors) {
    try {
      const stats = statSync(`/proc/${pid}/fd/${descriptor}`, { throwIfNoEntry: false });
      if (stats !== undefined && targets.has(`${stats.dev}:${stats.ino}`)) return true;
    } catch {
      // Closed meanwhile, or a descriptor this user may not follow.
    }
  }
  return false;
}
