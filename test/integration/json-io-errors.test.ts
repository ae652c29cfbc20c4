import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonStore } from '../../src/backends/json/index.js';
import { decodeOutcomes } from '../../src/backends/json/outcome-lines.js';
import { silentLogger } from '../../src/core/logger.js';
import { expectRecountMatches } from '../contract/recount.js';
import { mountTmpfsForTest } from '../support/tmpfs.js';
import { outcomeNo, outcomesNo } from '../unit/json-fixture.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Fills the file system: the filler grows until a write fails, then gives back `spare` bytes. */
function fill(dir: string, spare: number): string {
  const filler = join(dir, 'filler.bin');
  writeFileSync(filler, '');
  const chunk = Buffer.alloc(4096, 1);
  let size = 0;
  try {
    for (;;) {
      writeFileSync(filler, chunk, { flag: 'a' });
      size += chunk.length;
    }
  } catch {
    // ENOSPC: full.
  }
  truncateSync(filler, Math.max(0, size - spare));
  return filler;
}

/** Every line of every journal is a valid batch (checksum included): no torn line was ever followed by another. */
function expectOnlyCompleteLines(dir: string): void {
  const journals = join(dir, 'journal');
  for (const file of readdirSync(journals)) {
    const text = readFileSync(join(journals, file), 'utf8');
    for (const line of text.split('\n').slice(0, -1)) expect(decodeOutcomes(line), file).toBeDefined();
  }
}

describe('JsonStore on a full disk', () => {
  it('fails a write with MP_IO naming the file, counts none of it, and records on once there is space', async (context) => {
    const tmpfs = await mountTmpfsForTest(512, context);
    if (tmpfs === undefined) return;
    cleanups.push(() => tmpfs.unmount());
    const dir = join(tmpfs.dir, 'store');
    const store = await JsonStore.open({ dir, logger: silentLogger });
    cleanups.push(() => store.close());
    await store.recordMany(outcomesNo(0, 10));

    // One page left: the batch below (about 40 KB, one line) lands partly, then the disk is full.
    const filler = fill(tmpfs.dir, 4096);
    const failure = store.recordMany(outcomesNo(100, 200));
    await expect(failure).rejects.toMatchObject({ code: 'MP_IO', file: expect.stringContaining(join(dir, 'journal')) });
    await expect(failure).rejects.toThrow(/ENOSPC/);
    expect((await store.listStats()).reduce((sum, row) => sum + row.samples, 0)).toBe(10);
    expectOnlyCompleteLines(dir);

    truncateSync(filler, 0);
    await store.record(outcomeNo(50));
    await store.recordMany(outcomesNo(100, 200));
    expect((await store.listStats()).reduce((sum, row) => sum + row.samples, 0)).toBe(211);
    expectOnlyCompleteLines(dir);
    await store.close();
    const reopened = await JsonStore.open({ dir, logger: silentLogger });
    cleanups.push(() => reopened.close());
    expect((await reopened.listStats()).reduce((sum, row) => sum + row.samples, 0)).toBe(211);
    await expectRecountMatches(reopened, expect);
  });
});
