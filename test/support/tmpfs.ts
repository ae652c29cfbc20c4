import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './children.js';

/** Lets Node run a TypeScript scenario that imports the sources as './x.js' (the benchmarks' hook). */
const RESOLVE_TS = fileURLToPath(new URL('../../bench/support/resolve-ts.ts', import.meta.url));
const MOUNT_FAILED = 97;

/**
 * Runs a scenario script with a small tmpfs of its own, so that a full disk is real, without root: the
 * script runs in a new user and mount namespace (`unshare --user --map-root-user --mount`), where
 * mounting a tmpfs is allowed wherever unprivileged user namespaces are (root or not). The mount exists
 * only in that namespace and goes when the script ends. (Reaching it from this process through
 * /proc/<pid>/root would not do: SQLite resolves that link back to the empty dir outside.)
 *
 * The script, a TypeScript file run by Node, gets the mount point and `args`, and prints its report
 * as the last line of stdout, in JSON.
 */
export async function runOnTmpfs<T>(sizeKb: number, script: string, args: readonly string[] = []): Promise<T> {
  const mountPoint = await mkdtemp(join(tmpdir(), 'model-perf-tmpfs-'));
  try {
    const mountThenRun = `mount -t tmpfs -o "size=$1k" tmpfs "$2" || exit ${MOUNT_FAILED}; shift 2; exec "$@"`;
    const command = ['--user', '--map-root-user', '--mount', 'sh', '-c', mountThenRun, 'sh', String(sizeKb)];
    const node = [process.execPath, '--import', RESOLVE_TS, script, mountPoint, ...args];
    const { code, stdout, stderr } = await runChild([...command, mountPoint, ...node], { node: 'unshare' });
    if (code === MOUNT_FAILED || (code !== 0 && /^unshare: /m.test(stderr))) {
      throw new Error(
        `could not mount a tmpfs in a new user namespace (unshare --user --map-root-user --mount): ${stderr.trim()}. The full-disk tests need user namespaces, which Linux distributions enable by default.`,
      );
    }
    if (code !== 0) throw new Error(`${script} exited with ${code}:\n${stderr.trim()}`);
    const last = stdout.trim().split('\n').at(-1) ?? '';
    return JSON.parse(last) as T;
  } finally {
    await rm(mountPoint, { recursive: true, force: true });
  }
}
