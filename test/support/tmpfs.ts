import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';

const run = promisify(execFile);

export type Tmpfs = { mounted: true; dir: string; unmount(): Promise<void> } | { mounted: false; why: string };

/**
 * Mounts a small tmpfs (tests run as root) so that a disk-full case is real. When the mount is refused
 * the caller prints why: the case then cannot run on this machine.
 */
export async function mountTmpfs(sizeKb: number): Promise<Tmpfs> {
  const dir = await mkdtemp(join(tmpdir(), 'model-perf-tmpfs-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    return { mounted: false, why: `mount -t tmpfs was refused: ${(error as Error).message.trim()}` };
  }
  return {
    mounted: true,
    dir,
    async unmount() {
      await run('umount', [dir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Mounts a tmpfs for a test, or says why it cannot: the test is then skipped with the reason printed,
 * except in CI, where the machine is set up for it and a refused mount fails the test.
 */
export async function mountTmpfsForTest(
  sizeKb: number,
  context: { skip(note?: string): void },
): Promise<{ dir: string; unmount(): Promise<void> } | undefined> {
  const tmpfs = await mountTmpfs(sizeKb);
  if (tmpfs.mounted) return tmpfs;
  console.warn(`A disk-full case did not run: ${tmpfs.why}`);
  expect(process.env.CI, `could not mount a tmpfs: ${tmpfs.why}`).not.toBe('true');
  context.skip(tmpfs.why);
  return undefined;
}
