import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BoundedRun, hasRawEscape, MEMORY_LIMIT_BYTES, runBounded } from '../support/bounded-run.js';
import { cleanEnv, makeTempDir } from '../support/cli-runner.js';
import { outcomesOf, seedStore } from '../support/cli-seed.js';

/**
 * A store dir is untrusted input (it can come with a `git clone`): each finding of the attack on it is
 * replayed through the real CLI. Nothing outside the dir may change or be read into an output, no command
 * may hang or exhaust memory, and no byte a terminal would act on may be printed.
 */

let work: Awaited<ReturnType<typeof makeTempDir>>;
let store: string;
let outside: string;

beforeEach(async () => {
  work = await makeTempDir('hostile');
  store = join(work.dir, 'store');
  outside = join(work.dir, 'outside');
  mkdirSync(store);
  mkdirSync(outside);
});

afterEach(() => work.remove());

/** Every entry below `dir` with its type, mode and bytes: what "nothing outside changed" compares. */
function snapshotTree(dir: string): Record<string, string> {
  const tree: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    const stats = lstatSync(path);
    tree[name] = stats.isFile()
      ? `file ${stats.mode.toString(8)} ${readFileSync(path).toString('base64')}`
      : `${stats.isDirectory() ? 'dir' : 'other'} ${stats.mode.toString(8)}`;
  }
  return tree;
}

const cli = (args: readonly string[], env?: NodeJS.ProcessEnv): Promise<BoundedRun> =>
  runBounded([...args, '--dir', store], { cwd: work.dir, ...(env === undefined ? {} : { env }) });

function expectBounded(run: BoundedRun, label: string): void {
  expect(run.timedOut, `${label} hung`).toBe(false);
  expect(run.peakRssBytes, `${label} peak memory`).toBeLessThan(MEMORY_LIMIT_BYTES);
}

describe('symlinks inside the store dir lead nowhere', () => {
  it('a symlinked journal is never truncated, on any read-only command, on SQLite or JSON', async () => {
    await seedStore(store, 'sqlite', outcomesOf('t1', 'm', 3, 4));
    const victim = join(outside, 'somefile');
    writeFileSync(victim, 'API_TOKEN=1\nno newline');
    const noNewline = join(outside, 'flat');
    writeFileSync(noNewline, 'no newline at all');
    mkdirSync(join(store, 'journal'));
    symlinkSync(victim, join(store, 'journal', '000000001-x-1-deadbeef.jsonl'));
    symlinkSync(noNewline, join(store, 'journal', '000000002-x-2-deadbeef.open.jsonl'));
    const before = snapshotTree(outside);
    for (const args of [['rank', 't1'], ['report'], ['trend', 't1'], ['export'], ['dashboard']]) {
      const run = await cli(args);
      expectBounded(run, args[0] ?? '');
      expect(snapshotTree(outside), args.join(' ')).toEqual(before);
      expect(run.stdout.toString()).not.toContain('API_TOKEN');
    }
    const json = join(work.dir, 'json-store');
    await seedStore(json, 'json', outcomesOf('t1', 'm', 3, 4));
    symlinkSync(victim, join(json, 'journal', '000000003-x-3-deadbeef.jsonl'));
    const run = await runBounded(['rank', 't1', '--backend', 'json', '--dir', json], { cwd: work.dir });
    expectBounded(run, 'rank on json');
    expect(snapshotTree(outside)).toEqual(before);
    expect(run.stdout.toString() + run.stderr.toString()).not.toContain('API_TOKEN');
  });

  it('a symlinked backups/ is refused: prune deletes nothing outside, nothing is archived there', async () => {
    const archive = 'model-performance.imported-20200101T000000000Z-0123456789ab.json';
    writeFileSync(join(outside, archive), '{}');
    symlinkSync(outside, join(store, 'backups'));
    writeFileSync(join(store, 'model-performance.json'), JSON.stringify({ t: { m: { successes: 1, failures: 0 } } }));
    const before = snapshotTree(outside);
    const prune = await cli(['backups', 'prune']);
    expect(prune.code).not.toBe(0);
    expect(prune.stderr.toString()).toMatch(/MP_CORRUPT_DATA.*backups.*symbolic link/);
    for (const args of [
      ['rank', 't'],
      ['record', '--task', 't', '--model', 'm', '--success'],
    ]) {
      expectBounded(await cli(args), args[0] ?? '');
    }
    expect(snapshotTree(outside)).toEqual(before);
  });

  it('symlinked journal/ and segments/ are refused: nothing is written or deleted through them', async () => {
    const journals = join(outside, 'journals');
    const segments = join(outside, 'segments');
    mkdirSync(journals);
    mkdirSync(segments);
    writeFileSync(join(journals, 'keep.tmp'), 'mine');
    writeFileSync(join(segments, 'keep.tmp'), 'mine');
    symlinkSync(journals, join(store, 'journal'));
    symlinkSync(segments, join(store, 'segments'));
    const before = snapshotTree(outside);
    for (const backend of ['json', 'sqlite']) {
      const run = await cli(['record', '--task', 't', '--model', 'm', '--success', '--backend', backend]);
      expectBounded(run, `record on ${backend}`);
      expect(run.code).not.toBe(0);
    }
    expect(snapshotTree(outside)).toEqual(before);
  });

  it('a symlinked or dangling model-performance.db is refused: no table is added elsewhere, no file created', async () => {
    const other = join(outside, 'other.db');
    const db = new DatabaseSync(other);
    db.exec('CREATE TABLE mine (x)');
    db.close();
    symlinkSync(other, join(store, 'model-performance.db'));
    const before = snapshotTree(outside);
    const run = await cli(['record', '--task', 't', '--model', 'm', '--success', '--backend', 'sqlite']);
    expect(run.stderr.toString()).toMatch(/model-performance\.db: it is a symbolic link/);
    expect(snapshotTree(outside)).toEqual(before);

    const dangling = join(work.dir, 'dangling');
    mkdirSync(dangling);
    symlinkSync(join(outside, 'created.db'), join(dangling, 'model-performance.db'));
    await runBounded(['record', '--task', 't', '--model', 'm', '--success', '--dir', dangling], { cwd: work.dir });
    expect(existsSync(join(outside, 'created.db'))).toBe(false);
  });
});

describe('special and huge files neither hang nor exhaust a command', () => {
  it('model-performance.json -> /dev/zero: every command ends within bounds', async () => {
    symlinkSync('/dev/zero', join(store, 'model-performance.json'));
    for (const args of [['rank', 't'], ['migrate', '--dry-run'], ['doctor']]) {
      expectBounded(await cli(args), args[0] ?? '');
    }
  });

  it('a 1.5 GB legacy file is refused within the memory bound, set aside once, not retried', async () => {
    const legacy = join(store, 'model-performance.json');
    writeFileSync(legacy, '');
    truncateSync(legacy, 1.5 * 1024 ** 3);
    const first = await cli(['rank', 't']);
    expectBounded(first, 'first open');
    expect(first.stderr.toString()).toMatch(/model-performance\.json/);
    expect(existsSync(legacy)).toBe(false);
    const aside = readdirSync(join(store, 'backups')).filter((name) => name.includes('refused'));
    expect(aside).toHaveLength(1);
    const second = await cli(['rank', 't']);
    expect(second.stderr.toString()).not.toMatch(/model-performance\.json/);
  });

  it('a FIFO as the legacy file or as the config file hangs nothing', async () => {
    const fifo = join(store, 'model-performance.json');
    spawnSync('mkfifo', [fifo]);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    for (const args of [
      ['migrate', '--dry-run'],
      ['doctor'],
      ['rank', 't'],
      ['record', '--task', 't', '--model', 'm', '--success'],
    ]) {
      expectBounded(await cli(args), args[0] ?? '');
    }
    const config = join(work.dir, 'config-fifo');
    mkdirSync(config);
    spawnSync('mkfifo', [join(config, 'model-perf.config.json')]);
    const run = await runBounded(['rank', 't', '--dir', config], { cwd: work.dir });
    expectBounded(run, 'config FIFO');
    expect(run.stderr.toString()).toMatch(/MP_CONFIG.*FIFO/);
  });
});

describe('nothing outside the store dir is read into an output', () => {
  it('a symlinked installation id never reaches an exported document', async () => {
    await seedStore(store, 'sqlite', outcomesOf('t', 'm', 10, 12));
    const secret = join(outside, 'passwd');
    writeFileSync(secret, 'root:x:0:0:SECRET-LINE:/root:/bin/sh\n');
    symlinkSync(secret, join(store, 'model-perf.installation-id'));
    const run = await cli(['export', '--json']);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout.toString()) as { sourceId: string };
    expect(document.sourceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(run.stdout.toString() + run.stderr.toString()).not.toContain('SECRET-LINE');
    expect(readFileSync(secret, 'utf8')).toContain('SECRET-LINE');
    expect(readdirSync(join(store, 'backups')).some((name) => name.startsWith('model-perf.installation-id.'))).toBe(
      true,
    );
  });

  it('a symlinked snapshot shows nothing of its target in a warning', async () => {
    const secret = join(outside, '.env');
    writeFileSync(secret, 'API_TOKEN=hunter2\n');
    symlinkSync(secret, join(store, 'model-perf.snapshot.json'));
    const run = await cli(['rank', 't', '--backend', 'json']);
    expectBounded(run, 'rank');
    expect(run.stdout.toString() + run.stderr.toString()).not.toMatch(/API_TOKEN|hunter2/);
  });
});

describe('a store dir config cannot choose where credentials go', () => {
  let server: Server;
  let connections: number;

  beforeEach(async () => {
    connections = 0;
    server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('url and backend postgres in model-perf.config.json are refused with MP_CONFIG; no connection is tried', async () => {
    const { port } = server.address() as { port: number };
    const url = `postgres://alice@127.0.0.1:${port}/db`;
    const env = cleanEnv({ PGPASSWORD: 'secret-password' });
    for (const config of [{ backend: 'postgres', url }, { url }, { backend: 'postgres' }]) {
      writeFileSync(join(store, 'model-perf.config.json'), JSON.stringify(config));
      const run = await cli(['rank', 't'], env);
      expectBounded(run, JSON.stringify(config));
      expect(run.code).not.toBe(0);
      expect(run.stderr.toString()).toMatch(/MP_CONFIG/);
    }
    expect(connections).toBe(0);
  });
});

describe('names and file names from the store are escaped on output', () => {
  const HOSTILE = 'evil\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202e';

  function plantNames(): void {
    const db = new DatabaseSync(join(store, 'model-performance.db'));
    db.exec('PRAGMA foreign_keys = OFF');
    db.prepare('UPDATE model_stats SET model_id = ? WHERE model_id = ?').run(HOSTILE, 'm2');
    db.prepare('UPDATE model_outcomes SET model_id = ? WHERE model_id = ?').run(HOSTILE, 'm2');
    db.prepare('UPDATE model_stats SET task_type = ? WHERE task_type = ?').run(`task${HOSTILE}`, 'odd');
    db.prepare('UPDATE model_outcomes SET task_type = ? WHERE task_type = ?').run(`task${HOSTILE}`, 'odd');
    db.close();
  }

  it('rank, trend, ab, report and dashboard print no raw escape and keep working', async () => {
    await seedStore(store, 'sqlite', [
      ...outcomesOf('t', 'm1', 8, 10),
      ...outcomesOf('t', 'm2', 5, 10),
      ...outcomesOf('odd', 'm1', 3, 4),
    ]);
    plantNames();
    for (const args of [['rank', 't'], ['trend', 't'], ['ab', 't'], ['report'], ['dashboard'], ['report', '--json']]) {
      const run = await cli(args);
      expect(run.code, `${args.join(' ')}: ${run.stderr.toString()}`).toBe(0);
      expect(hasRawEscape(run.stdout), args.join(' ')).toBe(false);
      expect(hasRawEscape(run.stderr), args.join(' ')).toBe(false);
      expect(run.stdout.toString()).not.toContain('\u202e');
    }
    const report = await cli(['report']);
    expect(report.stdout.toString()).toContain('evil\\u001B]0;pwned');
  });

  it('backups list escapes a planted file name', async () => {
    mkdirSync(join(store, 'backups'));
    writeFileSync(join(store, 'backups', 'x\u001b]0;pwned\u0007.json'), '');
    const run = await cli(['backups', 'list']);
    expect(run.code).toBe(0);
    expect(hasRawEscape(run.stdout)).toBe(false);
    expect(run.stdout.toString()).toContain('x\\u001B]0;pwned');
  });

  it('bidi overrides and zero-width characters are refused in new names', async () => {
    for (const name of ['gpt-4o\u200b', 'gpt\u202e-4o', '\u2066gpt', 'gpt\ufeff']) {
      const run = await cli(['record', '--task', 't', '--model', name, '--success']);
      expect(run.code, JSON.stringify(name)).toBe(1);
      expect(run.stderr.toString()).toMatch(/MP_INVALID_OUTCOME/);
    }
  });
});

describe('archives', () => {
  it('the legacy archive is no wider than the store mode under umask 077', async () => {
    const legacy = join(store, 'model-performance.json');
    writeFileSync(legacy, JSON.stringify({ t: { m: { successes: 1, failures: 0 } } }));
    chmodSync(legacy, 0o666);
    const { CLI } = await import('../support/cli-runner.js');
    const run = spawnSync(
      '/bin/sh',
      ['-c', 'umask 077 && exec "$0" "$@"', process.execPath, CLI, 'rank', 't', '--dir', store],
      {
        cwd: work.dir,
        env: cleanEnv(),
      },
    );
    expect(run.status).toBe(0);
    const archives = readdirSync(join(store, 'backups')).filter((name) => name.includes('imported'));
    expect(archives).toHaveLength(1);
    expect(statSync(join(store, 'backups', archives[0] ?? '')).mode & 0o777).toBe(0o600);
  });
});
