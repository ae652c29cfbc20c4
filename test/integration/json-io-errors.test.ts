import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JsonFullJournalReport } from '../fixtures/json-full-journal.js';
import { runOnTmpfs } from '../support/tmpfs.js';

const SCENARIO = fileURLToPath(new URL('../fixtures/json-full-journal.ts', import.meta.url));

describe('JsonStore on a full disk', () => {
  it('fails a write with MP_IO naming the file, counts none of it, and records on once there is space', async () => {
    const report = await runOnTmpfs<JsonFullJournalReport>(512, SCENARIO);
    expect(report.failure).toMatchObject({ code: 'MP_IO', file: expect.stringContaining(join(report.dir, 'journal')) });
    expect(report.failure?.message).toMatch(/ENOSPC/);
    expect(report.samplesAfterFailure).toBe(10);
    expect(report.tornLines, 'journal lines that are not a complete batch').toEqual([]);
    expect(report.samplesAfterSpaceBack).toBe(211);
    expect(report.samplesReopened).toBe(211);
    // The store's own recount: every counter equals the outcomes it holds.
    expect(report.verify).toMatchObject({ ok: true, outcomes: 211, mismatches: [], integrity: [] });
  });
});
