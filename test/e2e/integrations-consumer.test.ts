import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runChild } from '../support/children.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REPO_MODULES = join(ROOT, 'node_modules');

interface Row {
  modelId: string;
  success: boolean;
  timeout: boolean;
  tokensUsed: number;
  costUsd: number;
}
type Section<T> = { ok: true; value: T } | { ok: false; error: string };
interface Report {
  middleware: Section<Row[]>;
  thrown: Section<{ errors: string[]; outcomes: Row[] }>;
  adaptive: Section<Row[]>;
  otel: Section<Row[]>;
}

let work: string;
let tarball: string;

/**
 * A consumer project outside the repo: the packed tarball unpacked as its node_modules/model-perf, plus
 * links to the given packages of this repo's node_modules (semver, and the optional peers when wanted).
 */
async function consumerProject(name: string, links: readonly string[], script: string): Promise<string> {
  const dir = join(work, name);
  const installed = join(dir, 'node_modules', 'model-perf');
  await mkdir(installed, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  for (const link of links) {
    await mkdir(join(dir, 'node_modules', link, '..'), { recursive: true });
    await symlink(join(REPO_MODULES, link), join(dir, 'node_modules', link));
  }
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ type: 'module', dependencies: { 'model-perf': `file:${tarball}` } }),
  );
  await copyFile(join(FIXTURES, script), join(dir, script));
  return dir;
}

async function runIn(dir: string, script: string, ...args: string[]): Promise<unknown> {
  const result = await runChild([join(dir, script), ...args], { cwd: dir });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

function section<T>(entry: Section<T>): T {
  if (!entry.ok) throw new Error(`the consumer's section failed:\n${entry.error}`);
  return entry.value;
}

describe('a consumer project using the packed package', () => {
  let report: Report;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'ai-sdk.js'))) {
      throw new Error('dist/ has no ai-sdk build: run `npm run build` (npm test does it in pretest)');
    }
    work = await mkdtemp(join(tmpdir(), 'model-perf-consumer-'));
    // --ignore-scripts: `prepare` relinks this repo's node_modules/.bin, which other tests are using.
    const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT });
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    tarball = join(work, filename);
    const consumer = await consumerProject(
      'with-peers',
      ['semver', 'ai', '@ai-sdk', '@opentelemetry'],
      'integrations-consumer.mjs',
    );
    report = (await runIn(consumer, 'integrations-consumer.mjs', join(work, 'store'), '20261203')) as Report;
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('records 5 generateText and 1 streamText call through the middleware: 6 successes, exact tokens and cost', () => {
    const rows = section(report.middleware);
    const expected = [1, 2, 3, 4, 5, 6].map((call) => ({
      tokensUsed: 100 + call + (10 + call),
      costUsd: (100 + call) * 3e-6 + (10 + call) * 15e-6,
    }));
    expect(rows.map((r) => [r.modelId, r.success, r.timeout])).toEqual(Array(6).fill(['gpt-consumer', true, false]));
    expect(rows.map((r) => r.tokensUsed)).toEqual(expected.map((e) => e.tokensUsed));
    // Exact: the same arithmetic as the consumer's cost function, stored and read back as a double.
    expect(rows.map((r) => r.costUsd)).toEqual(expected.map((e) => e.costUsd));
  });

  it('records thrown calls as failures, and the caller still gets the error', () => {
    const { errors, outcomes } = section(report.thrown);
    expect(errors).toEqual(['provider down', 'provider down']);
    expect(outcomes.map((r) => [r.modelId, r.success])).toEqual([
      ['gpt-broken', false],
      ['gpt-broken', false],
    ]);
  });

  // Needs ModelLearner.choose() (issue 13): until it lands, this section reports that choose is missing.
  it('adaptiveModel sends more than 2/3 of 300 calls to the 0.9 model and records all 300', () => {
    const rows = section(report.adaptive);
    expect(rows).toHaveLength(300);
    expect(rows.filter((r) => r.modelId === 'rate-0.9').length).toBeGreaterThan(200);
  });

  it('records 4 GenAI spans, one with ERROR status, as 3 successes and 1 failure with exact tokens', () => {
    const rows = section(report.otel);
    expect(rows.map((r) => [r.modelId, r.success, r.tokensUsed])).toEqual(
      expect.arrayContaining([
        ['gpt-traced', true, 21],
        ['gpt-traced', true, 42],
        ['gpt-traced', false, 63],
        ['gpt-traced', true, 84],
      ]),
    );
    expect(rows).toHaveLength(4);
  });

  it('imports and requires model-perf where neither ai nor OpenTelemetry is installed', async () => {
    const bare = await consumerProject('without-peers', ['semver'], 'root-without-peers.mjs');
    expect(await runIn(bare, 'root-without-peers.mjs', join(work, 'bare-store'))).toEqual({
      recorded: true,
      cjsRoot: 'function',
      // The subpaths fail only when asked for, and say which package is missing.
      aiSdk: 'ERR_MODULE_NOT_FOUND',
      otel: 'ERR_MODULE_NOT_FOUND',
    });
  });
});
