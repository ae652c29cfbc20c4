import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelStats, StoreInfo } from '../../src/index.js';
import { FIXTURES, runChild } from '../support/children.js';
import { machineNode, PINNED_NODES } from '../support/node-binaries.js';

interface ProbeReport {
  node: string;
  info: StoreInfo;
  stats: ModelStats;
  warnings: string[];
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function probe(node: string, options: Record<string, unknown> = {}): Promise<ProbeReport> {
  const dir = await mkdtemp(join(tmpdir(), 'model-perf-matrix-'));
  dirs.push(dir);
  const result = await runChild([join(FIXTURES, 'matrix-probe.mjs'), dir, JSON.stringify(options)], { node });
  expect(result.code, result.stderr).toBe(0);
  const report = JSON.parse(result.stdout) as ProbeReport;
  // Every Node reads back exactly what it recorded, whichever backend it got.
  expect(report.stats).toMatchObject({ successes: 1, failures: 1, timeouts: 1, totalTokens: 10, samples: 2 });
  expect(report.info.dir).toBe(dir);
  return report;
}

const machine = machineNode();
const binaries: Array<[string, string]> = [
  ['machine', machine ?? ''],
  ['node22', PINNED_NODES.node22],
  ['node24', PINNED_NODES.node24],
  ['node26', PINNED_NODES.node26],
];

describe('the built package on real Node binaries', () => {
  it('finds the machine node outside node_modules', () => {
    expect(machine, 'no node on PATH outside node_modules').toBeDefined();
  });

  it.each(binaries)("%s: 'auto' picks SQLite exactly when Node satisfies >=24, and says why", async (_label, node) => {
    const report = await probe(node);
    const qualifies = semver.satisfies(report.node, '>=24');
    expect(report.info).toMatchObject({ backend: qualifies ? 'sqlite' : 'json', degraded: false });
    expect(report.info.reason).toContain(`Node ${report.node}`);
    expect(report.info.reason).toContain('>=24');
    expect(report.info.nodeVersion).toBe(report.node);
    expect(report.info.sqliteVersion === null).toBe(!qualifies);
    expect(report.warnings).toEqual([]);
  });

  it('covers Node 20, 22, 24 and 26', async () => {
    const majors = await Promise.all(
      binaries.map(async ([, node]) => {
        const result = await runChild(['-p', 'process.versions.node'], { node });
        return semver.major(result.stdout.trim());
      }),
    );
    expect(new Set(majors)).toEqual(new Set([20, 22, 24, 26]));
  });

  it("node22: sqliteNodeRange '>=22.13' picks SQLite", async () => {
    const report = await probe(PINNED_NODES.node22, { sqliteNodeRange: '>=22.13' });
    expect(report.info).toMatchObject({ backend: 'sqlite', degraded: false });
    expect(report.info.reason).toContain('>=22.13');
  });

  it("machine node: forcing 'sqlite' where node:sqlite is missing degrades to JSON with the cause", async () => {
    const report = await probe(machine ?? '', { backend: 'sqlite' });
    expect(semver.major(report.node), 'this case needs the machine node to be Node 20').toBe(20);
    expect(report.info).toMatchObject({ backend: 'json', degraded: true });
    expect(report.info.reason).toMatch(/SQLite could not start.*node:sqlite/);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toContain(report.info.reason);
  });

  it('machine node: the CommonJS build loads and JsonStore works', async () => {
    const result = await runChild([join(FIXTURES, 'require-probe.cjs')], { node: machine ?? '' });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ isJsonStore: true, samples: 1 });
  });
});
