import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, silentLogger } from '../../src/index.js';
import { FIXTURES } from '../support/children.js';
import { seededRandom } from '../support/seeded-random.js';

const ROUNDS = 20;
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A legacy file big enough that a migration takes a while: 40 task types x 50 models. */
function legacyText(): { text: string; samples: number } {
  const document: Record<string, Record<string, { successes: number; failures: number }>> = {};
  let samples = 0;
  for (let task = 0; task < 40; task += 1) {
    const models: Record<string, { successes: number; failures: number }> = {};
    for (let model = 0; model < 50; model += 1) {
      models[`model-${model}`] = { successes: task + model, failures: model % 7 };
      samples += task + model + (model % 7);
    }
    document[`task-${task}`] = models;
  }
  return { text: JSON.stringify(document), samples };
}

/** Runs a child that opens the store (absorbing the legacy file) and kills it after `delayMs`. */
async function openAndKill(dir: string, delayMs: number): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, [join(FIXTURES, 'open-store.mjs'), dir], { stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
  const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('close', (_code, killed) => resolve(killed)),
  );
  clearTimeout(timer);
  return signal;
}

describe('a migration killed at any point is completed by the next open', () => {
  it(`imports the legacy file exactly once over ${ROUNDS} SIGKILLed migrations`, async () => {
    const random = seededRandom(2026);
    const legacy = legacyText();
    let killedMidway = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const dir = await mkdtemp(join(tmpdir(), 'model-perf-migrate-kill-'));
      dirs.push(dir);
      await writeFile(join(dir, 'model-performance.json'), legacy.text);
      if ((await openAndKill(dir, Math.floor(random() * 400))) === 'SIGKILL') killedMidway += 1;
      // Either the file is still in place, or it is archived and its import recorded: never neither.
      const inPlace = await stat(join(dir, 'model-performance.json')).then(
        () => true,
        () => false,
      );
      const backups = await readdir(join(dir, 'backups')).catch(() => [] as string[]);
      const archives = backups.filter((name) => name.endsWith('.json'));
      expect(inPlace || archives.length === 1, `round ${round}`).toBe(true);

      const store = await openStore({ dir, logger: silentLogger });
      try {
        const total = (await store.listStats()).reduce((sum, row) => sum + row.samples, 0);
        expect(total, `round ${round}`).toBe(legacy.samples);
        expect((await store.listImports()).filter((source) => source.kind === 'legacy-json')).toHaveLength(1);
        expect((await store.verify()).ok).toBe(true);
      } finally {
        await store.close();
      }
      await expect(stat(join(dir, 'model-performance.json'))).rejects.toMatchObject({ code: 'ENOENT' });
      const archived = (await readdir(join(dir, 'backups'))).filter((name) =>
        /^model-performance\.imported-.*\.json$/.test(name),
      );
      expect(archived, `round ${round}`).toHaveLength(1);
      expect(await readFile(join(dir, 'backups', archived[0] ?? ''), 'utf8')).toBe(legacy.text);
    }
    // The kills must land before the child finished its open, in enough rounds, or the test proves nothing.
    expect(killedMidway).toBeGreaterThan(ROUNDS / 4);
  }, 120_000);
});
