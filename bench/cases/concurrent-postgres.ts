import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { redactUrl } from '../../src/core/options.js';
import { openStore, silentLogger } from '../../src/index.js';
import { openRawConnection } from '../baselines/raw-connection.js';
import type { CaseContext } from '../support/case-types.js';
import { compiled } from '../support/compile.js';
import type { WorkerInput, WorkerMessage } from '../support/concurrent-worker.js';
import { type Figure, figure } from '../support/figures.js';
import { sizeLabel } from '../support/profile.js';
import { sqliteFile } from '../support/stores.js';

/** The server: $MODEL_PERF_PG_URL, else the local one the bench assumes. */
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
const WORKERS = 4;
const WORKER = compiled('bench/support/concurrent-worker.ts');
/** How long a connection to the server may take before it counts as unreachable. */
const CONNECT_TIMEOUT_MS = 5_000;
/** A statement of the case process's own (count, drop) that takes longer than this means trouble. */
const QUERY_TIMEOUT_MS = 60_000;
/** Four writers share one SQLite file: a write may wait for the others well past the default 5 s. */
const BUSY_TIMEOUT_MS = 60_000;
/** One group of workers that has not finished by then is killed and the case fails. */
const GROUP_TIMEOUT_MS = 120_000;

type Target = 'postgres' | 'sqlite';

interface Group {
  workers: ChildProcess[];
  ready: Promise<void>;
  done: Promise<void>;
  exited: Promise<void>;
}

/** Forks the workers; `ready` when all have opened the store, `done` when all have recorded. */
function forkGroup(inputs: readonly WorkerInput[]): Group {
  const readies: Promise<void>[] = [];
  const dones: Promise<void>[] = [];
  const exits: Promise<void>[] = [];
  const workers = inputs.map((input, index) => {
    const worker = fork(WORKER, [JSON.stringify(input)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let failure: string | undefined;
    readies.push(
      new Promise((resolve, reject) => {
        worker.on('message', (message: WorkerMessage) => {
          if (message.kind === 'ready') resolve();
          else if (message.kind === 'failed') failure = message.error;
        });
        worker.on('exit', () =>
          reject(new Error(`worker ${index} ended before it was ready: ${failure ?? 'no message'}`)),
        );
      }),
    );
    dones.push(
      new Promise((resolve, reject) => {
        worker.on('message', (message: WorkerMessage) => {
          if (message.kind === 'done') {
            if (message.recorded === input.count) resolve();
            else reject(new Error(`worker ${index} recorded ${message.recorded} of ${input.count}`));
          }
        });
        worker.on('exit', (code, signal) =>
          reject(new Error(`worker ${index} exited (${signal ?? `code ${code}`}): ${failure ?? 'no message'}`)),
        );
      }),
    );
    exits.push(new Promise((resolve) => worker.on('exit', () => resolve())));
    return worker;
  });
  // A rejection nobody awaits yet (a worker failing before 'ready' rejects 'done' too) must not crash.
  for (const promise of [...readies, ...dones]) promise.catch(() => undefined);
  return {
    workers,
    ready: Promise.all(readies).then(() => undefined),
    done: Promise.all(dones).then(() => undefined),
    exited: Promise.all(exits).then(() => undefined),
  };
}

function deadline(ms: number, what: string): { promise: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  promise.catch(() => undefined);
  return { promise, clear: () => clearTimeout(timer) };
}

/**
 * Runs WORKERS processes against one store, each recording `count` outcomes one at a time; returns
 * the milliseconds from 'go' until the last of them is done (opening the stores is not timed).
 */
async function timeGroup(inputs: readonly WorkerInput[]): Promise<number> {
  const group = forkGroup(inputs);
  const limit = deadline(GROUP_TIMEOUT_MS, `${inputs.length} workers recording into ${inputs[0]?.backend}`);
  try {
    await Promise.race([group.ready, limit.promise]);
    const started = performance.now();
    for (const worker of group.workers) worker.send({ kind: 'go' });
    await Promise.race([group.done, limit.promise]);
    const elapsed = performance.now() - started;
    await Promise.race([group.exited, limit.promise]);
    return elapsed;
  } finally {
    limit.clear();
    for (const worker of group.workers)
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  }
}

/** An open admin connection, or an error that says the server is out of reach. */
async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message || error.name : String(error);
    throw new Error(
      `PostgreSQL server at ${redactUrl(url)} is unreachable (${reason}); start it or point MODEL_PERF_PG_URL at one`,
    );
  }
}

/**
 * 4 processes recording concurrently, one outcome at a time (the runtime's pattern, a fleet's worth of
 * agents), into one fresh PostgreSQL schema versus into one fresh SQLite store dir, in alternating
 * rounds. Each round starts from an empty store, whose tables one open creates before the workers
 * start; after it the case counts the stored outcomes and fails unless all 4 x N are there.
 */
export async function run(context: CaseContext): Promise<Figure[]> {
  const { profile, workDir } = context;
  const url = process.env.MODEL_PERF_PG_URL ?? DEFAULT_URL;
  const count = profile.concurrentRecordEach;
  const total = WORKERS * count;
  const admin = await connect(url);
  const samples: Record<Target, number[]> = { postgres: [], sqlite: [] };
  try {
    const rounds = profile.slowRounds;
    for (let round = 0; round < rounds; round += 1) {
      const order: Target[] = round % 2 === 0 ? ['postgres', 'sqlite'] : ['sqlite', 'postgres'];
      for (const target of order) {
        const dir = join(workDir, `${target}-${round}`);
        mkdirSync(dir, { recursive: true });
        const schema = `bench_concurrent_${process.pid}_${round}`;
        const location = target === 'postgres' ? { url, schema } : {};
        try {
          // One open creates the tables, so that the workers do not race to make them.
          const setup = await openStore({
            dir,
            backend: target,
            fallback: false,
            logger: silentLogger,
            ...(target === 'postgres' ? { url, postgresSchema: schema } : {}),
          });
          await setup.close();
          const inputs = Array.from(
            { length: WORKERS },
            (_, index): WorkerInput => ({
              backend: target,
              dir,
              ...location,
              count,
              seed: 1_000 * (round + 1) + index,
              busyTimeoutMs: BUSY_TIMEOUT_MS,
            }),
          );
          const ms = await timeGroup(inputs);
          const stored =
            target === 'postgres'
              ? Number((await admin.query(`SELECT count(*) AS n FROM "${schema}".model_outcomes`)).rows[0]?.n)
              : countSqlite(dir);
          if (stored !== total) {
            throw new Error(
              `${target}: ${stored} outcomes stored after ${WORKERS} x ${count} record() calls, not ${total}`,
            );
          }
          samples[target].push((total * 1000) / ms);
        } finally {
          if (target === 'postgres') await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        }
      }
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
  return [
    figure({
      id: 'postgres.concurrentRecord',
      backend: 'postgres',
      label: `${WORKERS} processes, record() one at a time, ${sizeLabel(count)} each, combined`,
      unit: 'ops/s',
      ours: { label: `PostgreSQL, ${WORKERS} processes into one fresh schema`, samples: samples.postgres },
      baseline: { label: `SQLite, ${WORKERS} processes into one fresh store dir`, samples: samples.sqlite },
      note: `outcomes/s of all ${WORKERS} together; ${sizeLabel(total)} stored in each, counted`,
    }),
  ];
}

function countSqlite(dir: string): number {
  const db = openRawConnection(sqliteFile(dir));
  try {
    const row = db.prepare('SELECT count(*) AS n FROM model_outcomes').get();
    return Number(row?.n);
  } finally {
    db.close();
  }
}
