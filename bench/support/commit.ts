import { execFileSync } from 'node:child_process';
import { ROOT_DIR } from './paths.js';

function git(args: readonly string[]): string {
  return execFileSync('git', [...args], {
    cwd: ROOT_DIR,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
}

/** The commit the figures belong to; "+changes" when src/ had uncommitted changes, "unknown" outside git. */
export function measuredCommit(): string {
  try {
    const head = git(['rev-parse', '--short', 'HEAD']);
    return git(['status', '--porcelain', '--', 'src']) === '' ? head : `${head}+changes`;
  } catch {
    return 'unknown';
  }
}
