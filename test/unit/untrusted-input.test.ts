import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { escapeTerminalText, escapingStream } from '../../src/cli/output.js';
import { statsToCsv } from '../../src/cli/table.js';
import { MAX_IMPORTED_COUNT } from '../../src/core/options.js';
import { emptyCounters, toModelStats } from '../../src/core/stats.js';
import { checkStoreLayout, readStoreFile, readStoreFileSync, STORE_FILE_CAPS } from '../../src/core/store-files.js';
import type { ModelStats } from '../../src/core/types.js';
import { checkLookalikes, isValidName } from '../../src/core/validation.js';
import { MAX_PRIOR_SAMPLES } from '../../src/learner/federated.js';
import { readInstallationId } from '../../src/open/rollout.js';
import {
  DAY_MS,
  outcomesOf,
  STORE_BACKENDS,
  type StoreBackend,
  statsDocument,
  T0,
  useLearners,
} from '../support/learner-fixture.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'model-perf-untrusted-'));
  dirs.push(dir);
  return dir;
}

describe('store files: never through a symlink, never a FIFO, never past a cap', () => {
  it('refuses a symlink, a FIFO, a device and an oversized file with MP_CORRUPT_DATA naming it', async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, 'target'), '{"secret":1}');
    symlinkSync(join(dir, 'target'), join(dir, 'link'));
    spawnSync('mkfifo', [join(dir, 'fifo')]);
    expect(lstatSync(join(dir, 'fifo')).isFIFO()).toBe(true);
    symlinkSync('/dev/zero', join(dir, 'zero'));
    writeFileSync(join(dir, 'big'), Buffer.alloc(STORE_FILE_CAPS.config + 1));
    for (const [name, problem] of [
      ['link', /symbolic link/],
      ['fifo', /a FIFO/],
      ['zero', /symbolic link/],
      ['big', /more than the 65536/],
    ] as const) {
      const file = join(dir, name);
      await expect(readStoreFile(file, 'config')).rejects.toMatchObject({ code: 'MP_CORRUPT_DATA', file });
      await expect(readStoreFile(file, 'config')).rejects.toThrow(problem);
      expect(() => readStoreFileSync(file, 'config')).toThrow(problem);
    }
    expect(await readStoreFile(join(dir, 'missing'), 'config')).toBeUndefined();
    expect((await readStoreFile(join(dir, 'target'), 'config'))?.toString()).toBe('{"secret":1}');
  });

  it('refuses a store dir whose backups/, journal/ or segments/ is a symlink; the dir itself may be one', async () => {
    const root = await tempDir();
    const real = join(root, 'real');
    mkdirSync(join(real, 'backups'), { recursive: true });
    symlinkSync(real, join(root, 'chosen'));
    await expect(checkStoreLayout(join(root, 'chosen'))).resolves.toBeUndefined();
    for (const sub of ['backups', 'journal', 'segments']) {
      const dir = join(root, sub);
      mkdirSync(dir);
      symlinkSync(real, join(dir, sub));
      await expect(checkStoreLayout(dir)).rejects.toMatchObject({ code: 'MP_CORRUPT_DATA', file: join(dir, sub) });
    }
  });

  it('replaces an installation id that is not a UUID, keeping the old entry in backups/', async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, 'secret'), 'root:x:0:0\n');
    symlinkSync(join(dir, 'secret'), join(dir, 'model-perf.installation-id'));
    const id = await readInstallationId(dir);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await readInstallationId(dir)).toBe(id);
    const garbage = await tempDir();
    writeFileSync(join(garbage, 'model-perf.installation-id'), 'not a uuid\n');
    expect(await readInstallationId(garbage)).not.toContain('not a uuid');
  });
});

describe('names', () => {
  it('refuses bidi controls and zero-width characters in a new name, naming the code point', () => {
    for (const [name, point] of [
      ['gpt-4o\u200b', 'U+200B'],
      ['gpt\u202e4o', 'U+202E'],
      ['\u2066gpt', 'U+2066'],
      ['gpt\u2060', 'U+2060'],
      ['gpt\ufeff', 'U+FEFF'],
      ['a\u200db', 'U+200D'],
    ]) {
      expect(() => checkLookalikes(name ?? '', 'modelId', 'MP_INVALID_OUTCOME')).toThrow(point ?? '');
    }
    expect(checkLookalikes('gpt-4o', 'modelId', 'MP_INVALID_OUTCOME')).toBe('gpt-4o');
    expect(isValidName('gpt\u001b[2J')).toBe(false);
    expect(isValidName('gpt-4o')).toBe(true);
  });

  it('escapes C0, C1, ESC, bidi and zero-width characters in one place, keeping the painter colours on a terminal', () => {
    expect(escapeTerminalText('a\u001b]0;x\u0007b\u009b\u202e\u200b\u2066\ufeff\n')).toBe(
      'a\\u001B]0;x\\u0007b\\u009B\\u202E\\u200B\\u2066\\uFEFF\n',
    );
    const written: string[] = [];
    const tty = escapingStream({ write: (text: string) => written.push(text), isTTY: true });
    tty.write('\u001b[31mred\u001b[39m \u001b]0;title\u0007 \u001b[2J');
    expect(written[0]).toBe('\u001b[31mred\u001b[39m \\u001B]0;title\\u0007 \\u001B[2J');
    const pipe = escapingStream({ write: (text: string) => written.push(text) });
    pipe.write('\u001b[31mred');
    expect(written[1]).toBe('\\u001B[31mred');
    // A JSON document stays JSON with the same value.
    expect(JSON.parse(escapeTerminalText(JSON.stringify({ name: 'x\u202e\u009b' })))).toEqual({
      name: 'x\u202e\u009b',
    });
  });
});

describe('CSV export', () => {
  const row = (modelId: string): ModelStats => toModelStats('t', modelId, { ...emptyCounters(), successes: 1 });

  it('neutralises a formula at the start of a cell and after any delimiter (, ; tab)', () => {
    const csv = statsToCsv([row('=1+1'), row('x;=HYPERLINK("http://evil")'), row('y\t@SUM(A1)'), row('z,-2+3')]);
    expect(csv).toContain("'=1+1");
    expect(csv).toContain(`"x;'=HYPERLINK(""http://evil"")"`);
    expect(csv).toContain(`"y\t'@SUM(A1)"`);
    expect(csv).toContain('"z,\'-2+3"');
    for (const segment of csv.split(/[,;\t\n]/)) expect(segment.replace(/^"/, '')).not.toMatch(/^[=+@]/);
  });
});

const MEMORY = STORE_BACKENDS.find((backend) => backend.name === 'memory') as StoreBackend;

describe('federated priors', () => {
  const learners = useLearners(MEMORY);

  it('weigh at most MAX_PRIOR_SAMPLES in all: one document with a trillion successes does not flip a ranking', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf('t', 'steady', 900, 100, T0 - DAY_MS),
      ...outcomesOf('t', 'hyped', 500, 500, T0 - DAY_MS),
    ]);
    await learner.importStats(
      statsDocument('peer', [
        {
          taskType: 't',
          modelId: 'hyped',
          successes: MAX_IMPORTED_COUNT,
          failures: 0,
          timeouts: 0,
          totalTokens: 0,
          totalCost: 0,
          lastUsed: null,
        },
      ]),
    );
    const ranked = await learner.getRankedModels('t', { includeFederated: true });
    expect(ranked.map((model) => model.modelId)).toEqual(['steady', 'hyped']);
    const hyped = ranked.find((model) => model.modelId === 'hyped');
    expect(hyped?.federatedSamples).toBeCloseTo(MAX_PRIOR_SAMPLES, 9);
  });
});
