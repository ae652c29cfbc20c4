import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, silentLogger } from '../../src/index.js';
import { collect } from '../contract/fixtures.js';
import { expectRecountMatches } from '../contract/recount.js';
import { FIXTURES } from '../support/children.js';

interface SessionPlan {
  sqliteAvailable: boolean;
  outcomes: number;
  /** Kill the session with SIGKILL after this many acknowledged outcomes (undefined: let it close). */
  killAfter: number | undefined;
}

interface SessionResult {
  acked: string[];
  attempted: number;
  open: { backend: string; degraded: boolean; total: number };
  closedTotal: number | undefined;
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function lines(child: ChildProcess, onLine: (line: Record<string, unknown>) => void): void {
  let buffer = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      onLine(JSON.parse(buffer.slice(0, end)) as Record<string, unknown>);
      buffer = buffer.slice(end + 1);
    }
  });
}

/** Holds SQLite's write lock in another process, so that SQLite cannot start for real. */
async function blockSqlite(dir: string): Promise<ChildProcess> {
  const blocker = spawn(process.execPath, [join(FIXTURES, 'sqlite-blocker.mjs'), dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    blocker.on('error', reject);
    blocker.stdout?.once('data', () => resolve());
  });
  return blocker;
}

async function runSession(dir: string, name: string, plan: SessionPlan): Promise<SessionResult> {
  const blocker = plan.sqliteAvailable ? undefined : await blockSqlite(dir);
  try {
    const child = spawn(process.execPath, [join(FIXTURES, 'session-worker.mjs'), dir, name, String(plan.outcomes)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const result: SessionResult = {
      acked: [],
      attempted: 0,
      open: { backend: '', degraded: false, total: -1 },
      closedTotal: undefined,
    };
    lines(child, (line) => {
      if (line.event === 'open') result.open = line as unknown as SessionResult['open'];
      if (line.event === 'ack') {
        result.acked.push(String(line.id));
        if (plan.killAfter !== undefined && result.acked.length >= plan.killAfter) child.kill('SIGKILL');
      }
      if (line.event === 'closed') result.closedTotal = Number(line.total);
    });
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    if (exit.signal !== 'SIGKILL') expect(exit.code, stderr).toBe(0);
    // Records are sequential: a killed session may have written one more than it acknowledged.
    result.attempted = exit.signal === 'SIGKILL' ? result.acked.length + 1 : result.acked.length;
    return result;
  } finally {
    if (blocker !== undefined) {
      const gone = new Promise((resolve) => blocker.once('exit', resolve));
      blocker.kill('SIGKILL');
      await gone;
    }
  }
}

const sessionPlan: fc.Arbitrary<SessionPlan> = fc
  .record({
    sqliteAvailable: fc.boolean(),
    outcomes: fc.integer({ min: 1, max: 25 }),
    kill: fc.option(fc.nat(), { nil: undefined }),
  })
  .map(({ sqliteAvailable, outcomes, kill }) => ({
    sqliteAvailable,
    outcomes,
    killAfter: kill === undefined ? undefined : 1 + (kill % outcomes),
  }));

describe('continuity across SQLite -> degraded JSON -> SQLite sessions, with SIGKILL', () => {
  it('counts every acknowledged outcome exactly once, and degraded sessions keep the last clean close', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sessionPlan, { minLength: 1, maxLength: 5 }), async (plans) => {
        const dir = await mkdtemp(join(tmpdir(), 'model-perf-continuity-'));
        dirs.push(dir);
        const acked = new Set<string>();
        const attempted = new Set<string>();
        let lastCleanSqliteClose = 0;
        for (const [index, plan] of plans.entries()) {
          const name = `s${index}`;
          const result = await runSession(dir, name, plan);
          expect(result.open.backend).toBe(plan.sqliteAvailable ? 'sqlite' : 'json');
          expect(result.open.degraded).toBe(!plan.sqliteAvailable);
          if (!plan.sqliteAvailable) expect(result.open.total).toBeGreaterThanOrEqual(lastCleanSqliteClose);
          if (plan.sqliteAvailable && result.closedTotal !== undefined) lastCleanSqliteClose = result.closedTotal;
          for (const id of result.acked) acked.add(id);
          for (let offset = 0; offset < result.attempted; offset += 1) attempted.add(`${name}-${offset}`);
        }
        const store = await openStore({ dir, backend: 'sqlite', fallback: false, logger: silentLogger });
        try {
          const ids = (await collect(store.outcomes())).map((outcome) => outcome.id);
          expect(new Set(ids).size).toBe(ids.length);
          for (const id of acked) expect(ids).toContain(id);
          for (const id of ids) expect(attempted.has(id), `${id} was never recorded`).toBe(true);
          const total = (await store.listStats()).reduce((sum, row) => sum + row.samples, 0);
          expect(total).toBe(ids.length);
          await expectRecountMatches(store, expect);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
