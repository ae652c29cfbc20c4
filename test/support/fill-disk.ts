import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Fills the file system that holds dir: a filler file grows until a write fails. Returns its path. */
export function fillDisk(dir: string): string {
  const filler = join(dir, 'filler.bin');
  writeFileSync(filler, '');
  // Big chunks first, then single pages, so that not even a page is left.
  for (const size of [256 * 1024, 4096]) {
    const chunk = Buffer.alloc(size, 1);
    try {
      for (;;) writeFileSync(filler, chunk, { flag: 'a' });
    } catch {
      // ENOSPC: full at this chunk size.
    }
  }
  return filler;
}
