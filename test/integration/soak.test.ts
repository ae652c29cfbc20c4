import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, silentLogger } from '../../src/index.js';
import { FIXTURES, runChild } from '../support/children.js';
import { writeFigures } from '../support/reliability-figures.js';

/** 10 s per backend in `npm test`; `npm run soak` sets 60. */
const SECONDS = Number(process.env.MODEL_PERF_SOAK_SECONDS ?? 10);
const PROCESSES = 8;
/** A bound on the work besides the deadline, so that a fast machine cannot grow the store without limit. */
const MAX_OPS_PER_PROCESS = 200_000;
/** RSS of the last third of the run against the first third's median: a leak grows, a steady state does not. */
const RSS_GROWTH = 1.5;
const RSS_SLACK_BYTES = 8 * 1024 * 1024;

interface WorkerReport {
  worker: number;
  written: number;
  ops: Record<string, number>;
  rss: number[];
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const MB = 1024 * 1024;

describe.each(['sqlite', 'json'] as const)('%s soak', (backend) => {
  it(
    `${PROCESSES} processes of mixed writes and reads for ${SECONDS} s: exact counts, flat memory`,
    async () => {
      const dir = await mkdtemp(join(tmpdir(), `model-perf-soak-${backend}-`));
      dirs.push(dir);
      const started = Date.now();
      const results = await Promise.all(
        Array.from({ length: PROCESSES }, (_, worker) =>
          runChild([
            join(FIXTURES, 'soak-worker.mjs'),
            dir,
            backend,
            String(worker),
            String(SECONDS),
            String(MAX_OPS_PER_PROCESS),
            String(1000 + worker),
          ]),
        ),
      );
      const reports: WorkerReport[] = [];
      for (const result of results) {
        expect(result, result.stderr).toMatchObject({ code: 0, signal: null });
        reports.push(JSON.parse(result.stdout) as WorkerReport);
      }

      const expected = reports.flatMap(({ worker, written }) =>
        Array.from({ length: written }, (_, n) => `s${worker}-${n}`),
      );
      const store = await openStore({ dir, backend, fallback: false, logger: silentLogger });
      try {
        const report = await store.verify();
        expect(report).toMatchObject({ ok: true, outcomes: expected.length, mismatches: [], integrity: [] });
        const ids: string[] = [];
        for await (const outcome of store.outcomes()) ids.push(outcome.id);
        expect(ids.sort()).toEqual(expected.sort());
        expect((await store.listStats()).reduce((sum, row) => sum + row.samples, 0)).toBe(expected.length);
      } finally {
        await store.close();
      }

      const memory = reports.map(({ worker, rss }) => {
        const third = Math.max(1, Math.floor(rss.length / 3));
        const first = median(rss.slice(0, third));
        const last = median(rss.slice(-third));
        return {
          worker,
          samples: rss.length,
          firstThirdMedianMb: first / MB,
          lastThirdMedianMb: last / MB,
          first,
          last,
        };
      });
      for (const { worker, samples, first, last } of memory) {
        expect(samples, `worker ${worker} sampled its RSS too rarely`).toBeGreaterThanOrEqual(Math.min(3, SECONDS - 1));
        expect(last, `worker ${worker}: RSS grew from ${first / MB} MB to ${last / MB} MB`).toBeLessThanOrEqual(
          first * RSS_GROWTH + RSS_SLACK_BYTES,
        );
      }

      const ops: Record<string, number> = {};
      for (const report of reports)
        for (const [kind, count] of Object.entries(report.ops)) ops[kind] = (ops[kind] ?? 0) + count;
      await writeFigures(`soak-${backend}${SECONDS === 10 ? '' : `-${SECONDS}s`}`, {
        backend,
        seconds: SECONDS,
        processes: PROCESSES,
        operations: Object.values(ops).reduce((sum, count) => sum + count, 0),
        operationsByKind: ops,
        outcomesWritten: expected.length,
        outcomesStored: expected.length,
        duplicatesRecordedAgain: ops.duplicate ?? 0,
        lost: 0,
        doubled: 0,
        rssMb: memory.map(({ worker, firstThirdMedianMb, lastThirdMedianMb }) => ({
          worker,
          firstThird: Math.round(firstThirdMedianMb * 10) / 10,
          lastThird: Math.round(lastThirdMedianMb * 10) / 10,
        })),
        durationMs: Date.now() - started,
      });
    },
    SECONDS * 1000 + 120_000,
  );
});
