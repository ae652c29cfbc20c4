import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, silentLogger } from '../../src/index.js';
import { FIXTURES } from '../support/children.js';
import { onLines } from '../support/line-stream.js';
import { writeFigures } from '../support/reliability-figures.js';
import { seededRandom } from '../support/seeded-random.js';

const ROUNDS = 50;
/**
 * Most kills land a random time after the store is open, inside a call or a compaction; some are timed
 * from the spawn instead, to land while Node starts or the store opens (recovering the last round's mess).
 * Timing from "ready" keeps the mix whatever the machine's load.
 */
const KILLS_FROM_SPAWN = 0.2;
const MAX_DELAY_MS = 200;
const SEED = 0x5eed;

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

interface Round {
  /** Ids whose record() or recordMany() resolved. */
  acked: string[];
  /** Ids of every call that started, resolved or not. */
  attempted: string[];
  /** Whether the kill came before the store was open. */
  beforeReady: boolean;
}

interface Kill {
  from: 'spawn' | 'ready';
  delayMs: number;
}

/** Runs crash-writer.mjs and kills it with SIGKILL delayMs after its spawn or its "ready"; resolves once it is gone. */
function runUntilKilled(dir: string, backend: string, prefix: string, seed: number, kill: Kill): Promise<Round> {
  const child = spawn(process.execPath, [join(FIXTURES, 'crash-writer.mjs'), dir, backend, prefix, String(seed)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const round: Round = { acked: [], attempted: [], beforeReady: true };
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    timer = setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
  };
  if (kill.from === 'spawn') arm();
  const ids = (first: string | undefined, count: string | undefined): string[] =>
    Array.from({ length: Number(count) }, (_, offset) => `${prefix}-${Number(first) + offset}`);
  onLines(child.stdout, (line) => {
    const [event, first, count] = line.split(' ');
    if (event === 'ready') {
      round.beforeReady = false;
      if (kill.from === 'ready') arm();
    }
    if (event === 'try') round.attempted.push(...ids(first, count));
    if (event === 'ack') round.acked.push(...ids(first, count));
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(round);
      else reject(new Error(`the writer exited by itself (code ${code}) before it was killed: ${stderr}`));
    });
  });
}

describe.each(['sqlite', 'json'] as const)('%s: a writer killed with SIGKILL at random moments', (backend) => {
  it(`loses no acknowledged outcome and invents none, over ${ROUNDS} rounds on one dir`, async () => {
    const started = Date.now();
    const dir = await mkdtemp(join(tmpdir(), `model-perf-crash-${backend}-`));
    dirs.push(dir);
    const random = seededRandom(SEED);
    const acked = new Set<string>();
    const attempted = new Set<string>();
    let killsBeforeReady = 0;
    let killsInsideACall = 0;
    let stored = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const kill: Kill = { from: random() < KILLS_FROM_SPAWN ? 'spawn' : 'ready', delayMs: random() * MAX_DELAY_MS };
      const result = await runUntilKilled(dir, backend, `r${round}`, SEED + round, kill);
      if (result.beforeReady) killsBeforeReady += 1;
      // The call it printed "try" for never printed "ack": the kill landed inside record() or recordMany().
      if (result.attempted.length > result.acked.length) killsInsideACall += 1;
      for (const id of result.acked) acked.add(id);
      for (const id of result.attempted) attempted.add(id);

      const store = await openStore({ dir, backend, fallback: false, logger: silentLogger });
      try {
        expect(store.info.backend).toBe(backend);
        const report = await store.verify();
        expect(report, `round ${round}`).toMatchObject({ ok: true, mismatches: [], integrity: [] });
        const ids: string[] = [];
        for await (const outcome of store.outcomes()) ids.push(outcome.id);
        const present = new Set(ids);
        expect(present.size, `round ${round}: an outcome is counted twice`).toBe(ids.length);
        const lost = [...acked].filter((id) => !present.has(id));
        expect(lost, `round ${round}: acknowledged outcomes were lost`).toEqual([]);
        const invented = ids.filter((id) => !attempted.has(id));
        expect(invented, `round ${round}: outcomes nobody recorded`).toEqual([]);
        expect(report.outcomes).toBe(ids.length);
        stored = ids.length;
      } finally {
        await store.close();
      }
    }
    await writeFigures(`crash-${backend}`, {
      backend,
      rounds: ROUNDS,
      kills: ROUNDS,
      killsBeforeStoreOpen: killsBeforeReady,
      killsInsideACall,
      killDelayMs: [0, MAX_DELAY_MS],
      killsTimedFromSpawn: KILLS_FROM_SPAWN,
      seed: SEED,
      outcomesAcknowledged: acked.size,
      outcomesAttempted: attempted.size,
      outcomesStored: stored,
      unacknowledgedButStored: stored - acked.size,
      lost: 0,
      doubled: 0,
      verifyFailures: 0,
      durationMs: Date.now() - started,
    });
  }, 240_000);
});
