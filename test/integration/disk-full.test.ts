import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DiskFullReport } from '../fixtures/disk-full-store.js';
import { writeFigures } from '../support/reliability-figures.js';
import { runOnTmpfs } from '../support/tmpfs.js';

const TMPFS_KB = 1024;
const SCENARIO = fileURLToPath(new URL('../fixtures/disk-full-store.ts', import.meta.url));

describe.each(['sqlite', 'json'] as const)('%s on a full disk (a real tmpfs)', (backend) => {
  it('fails writes with MP_IO and its cause, writes nothing half, and records on once space is freed', async () => {
    const report = await runOnTmpfs<DiskFullReport>(TMPFS_KB, SCENARIO, [backend]);

    expect(report.unexpected, 'writes failed while the disk had room').toEqual([]);
    expect(report.failures.length, 'the disk never filled up').toBeGreaterThan(0);
    for (const failure of report.failures) {
      expect(failure).toMatchObject({ name: 'ModelPerfError', code: 'MP_IO' });
      expect(failure.cause, 'MP_IO carries its cause').toBeDefined();
      expect(failure.cause).toMatch(/ENOSPC|full/i);
    }
    expect(report.checkpoints.map((checkpoint) => checkpoint.step)).toEqual(['full', 'freed', 'reopened']);
    for (const { step, acknowledged, verify, storedIds, samples } of report.checkpoints) {
      const acked = report.acked.slice(0, acknowledged);
      expect(verify, step).toMatchObject({ ok: true, outcomes: acked.length, mismatches: [], integrity: [] });
      expect(storedIds, step).toEqual([...acked].sort());
      expect(samples, step).toBe(acked.length);
    }

    await writeFigures(`disk-full-${backend}`, {
      backend,
      tmpfsKb: TMPFS_KB,
      writesUntilFull: report.writesUntilFull,
      failedWrites: report.failures.length,
      failureCodes: [...new Set(report.failures.map((failure) => failure.code))],
      failureCauses: [...new Set(report.failures.map((failure) => failure.cause))].slice(0, 3),
      outcomesAcknowledged: report.acked.length,
      outcomesStored: report.acked.length,
      lost: 0,
      doubled: 0,
    });
  }, 60_000);
});
