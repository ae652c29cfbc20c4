import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonStore } from '../../src/backends/json/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { expectRecountMatches } from '../contract/recount.js';
import { runChild } from '../support/children.js';
import { machineNode, PINNED_NODES } from '../support/node-binaries.js';

const WORKERS = 4;
/** The writers run on different Node versions at once (Node 20 is the machine's): the files are shared as they are. */
const NODES = [machineNode() ?? process.execPath, PINNED_NODES.node22, PINNED_NODES.node24, PINNED_NODES.node26];
const PER_WORKER = 2500;
const SHARED = PER_WORKER / 50;

let bundleDir = '';
let writer = '';
const dirs: string[] = [];

// Node does not rewrite the '.js' specifiers of TypeScript sources, so the fixture and the backend
// sources are bundled into one plain ESM file that every Node version runs as it is.
beforeAll(async () => {
  bundleDir = await mkdtemp(join(tmpdir(), 'model-perf-json-bundle-'));
  writer = join(bundleDir, 'json-writer.mjs');
  buildSync({
    entryPoints: [fileURLToPath(new URL('../fixtures/json-writer.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: writer,
    logLevel: 'error',
  });
});

afterAll(async () => {
  await Promise.all([bundleDir, ...dirs].map((dir) => rm(dir, { recursive: true, force: true })));
});

async function storeDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'model-perf-json-multi-'));
  dirs.push(dir);
  return dir;
}

async function openReader(dir: string): Promise<JsonStore> {
  return JsonStore.open({ dir, logger: silentLogger });
}

async function ids(store: JsonStore): Promise<string[]> {
  const found: string[] = [];
  for await (const outcome of store.outcomes()) found.push(outcome.id);
  return found;
}

/** Starts a writer that records until killed; resolves with it once it has acknowledged `acks` ids. */
function startEndlessWriter(dir: string, worker: number, acked: Set<string>, acks: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [writer, dir, String(worker), '0', 'tiny'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let pending = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`writer ${worker} exited (${code}) before it was killed: ${stderr}`)));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const id of lines) acked.add(id);
      if (acked.size >= acks) resolve(child);
    });
  });
}

describe('JsonStore: several processes on one dir', () => {
  it.each(['default', 'tiny'])(
    `counts ${WORKERS} x ${PER_WORKER} outcomes written at once, each exactly once (%s sizes)`,
    async (tuning) => {
      const dir = await storeDir();
      const results = await Promise.all(
        Array.from({ length: WORKERS }, (_, worker) =>
          runChild([writer, dir, String(worker), String(PER_WORKER), tuning], {
            node: NODES[worker % NODES.length] ?? process.execPath,
          }),
        ),
      );
      for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0, signal: null });

      const store = await openReader(dir);
      try {
        const expected = WORKERS * PER_WORKER + SHARED;
        const found = await ids(store);
        expect(found).toHaveLength(expected);
        expect(new Set(found).size).toBe(expected);
        expect((await store.listStats()).reduce((sum, row) => sum + row.samples, 0)).toBe(expected);
        await expectRecountMatches(store, expect);
      } finally {
        await store.close();
      }
    },
  );

  it('loses no acknowledged outcome and counts none twice when writers are killed mid-write', async () => {
    const dir = await storeDir();
    const acked = new Set<string>();
    for (let round = 0; round < 3; round += 1) {
      // Killed at different moments: some mid-append, some mid-compaction.
      const children = await Promise.all(
        Array.from({ length: 3 }, (_, worker) =>
          startEndlessWriter(dir, round * 10 + worker, acked, 200 * (round + 1) * (worker + 1)),
        ),
      );
      for (const child of children) {
        child.removeAllListeners('exit');
        child.kill('SIGKILL');
      }
      await Promise.all(children.map((child) => new Promise((resolve) => child.on('close', resolve))));

      const store = await openReader(dir);
      try {
        const found = await ids(store);
        expect(new Set(found).size, 'an outcome was counted twice').toBe(found.length);
        const missing = [...acked].filter((id) => !found.includes(id));
        expect(missing, 'acknowledged outcomes were lost').toEqual([]);
        expect((await store.listStats()).reduce((sum, row) => sum + row.samples, 0)).toBe(found.length);
        await expectRecountMatches(store, expect);
      } finally {
        await store.close();
      }
    }
  });
});
