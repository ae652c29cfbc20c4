/**
 * The performance bench: every case of bench/cases in a child process of its own, each against its
 * baseline where one exists, with the targets printed as PASS or MISS (they never fail the run).
 *
 *   npm run bench                    full size; writes bench/results/latest.json and docs/PERFORMANCE.md
 *   npm run bench:short              CI size; writes bench/results/short.json
 *   npm run bench -- --only a,b      only those cases; prints, writes nothing
 *   npm run bench -- --rebuild       rebuild the cached stores in bench/.cache first
 *
 * Exit code 1 only when a case could not run (it crashed, or was killed at its time limit).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CASES } from './cases/index.js';
import { measuredCommit } from './support/commit.js';
import { compileSources } from './support/compile.js';
import { status } from './support/figures.js';
import { ensureFixtures } from './support/fixtures.js';
import { formatSeconds } from './support/format.js';
import { describeMachine } from './support/machine.js';
import { RESULTS_DIR } from './support/paths.js';
import { writePerformanceDoc } from './support/performance-doc.js';
import { PROFILES } from './support/profile.js';
import type { BenchResults, CaseResult } from './support/results.js';
import { runCase } from './support/run-case.js';
import { consoleTable, processTable } from './support/table.js';

/** Six significant digits: timer noise is far above that, and the file stays readable in a diff. */
function roundNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(6)) : value;
}

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      short: { type: 'boolean', default: false },
      only: { type: 'string' },
      rebuild: { type: 'boolean', default: false },
    },
  });
  const profile = PROFILES[values.short ? 'short' : 'full'];
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !CASES.some((entry) => entry.name === name)) ?? [];
  if (unknown.length > 0) {
    throw new Error(`unknown case ${unknown.join(', ')}; the cases are ${CASES.map((entry) => entry.name).join(', ')}`);
  }
  const selected = only === undefined ? CASES : CASES.filter((entry) => only.includes(entry.name));
  const started = performance.now();
  const machine = describeMachine();
  log(
    `${profile.name} profile, ${selected.length} cases, Node ${machine.node}, SQLite ${machine.sqlite}, ${machine.cores} cores`,
  );

  compileSources();
  const fixturesStarted = performance.now();
  const fixtures = await ensureFixtures(
    selected.flatMap((entry) => entry.needs),
    profile,
    values.rebuild,
    log,
  );
  const fixtureSeconds = (performance.now() - fixturesStarted) / 1000;
  const startLoad = loadavg()[0] ?? Number.NaN;
  const results: CaseResult[] = [];
  for (const entry of selected) {
    log(`${entry.name} ...`);
    const result = await runCase(entry, profile, fixtures);
    results.push(result);
    const verdicts = result.figures.map((figure) => status(figure)).filter((verdict) => verdict !== undefined);
    const summary = result.error === undefined ? verdicts.join(' ') : `ERROR: ${result.error.split('\n')[0]}`;
    log(`${entry.name} done in ${formatSeconds(result.wallSeconds)} ${summary}`);
  }
  const durationSeconds = (performance.now() - started) / 1000;

  console.log(`\n${consoleTable(results)}\n\n${processTable(results, false)}\n`);
  const document: BenchResults = {
    profile: profile.name,
    date: new Date().toISOString(),
    commit: measuredCommit(),
    durationSeconds,
    fixtureSeconds,
    loadAverage: { start: startLoad, end: loadavg()[0] ?? Number.NaN },
    machine,
    cases: results.map((result) => ({
      ...result,
      figures: result.figures.map((figure) => {
        const verdict = status(figure);
        return verdict === undefined ? figure : { ...figure, status: verdict };
      }),
    })),
  };
  if (only === undefined) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, profile.name === 'full' ? 'latest.json' : 'short.json');
    writeFileSync(file, `${JSON.stringify(document, roundNumbers, 2)}\n`);
    log(`wrote ${file}`);
    if (profile.name === 'full') {
      writePerformanceDoc(document);
      log('wrote docs/PERFORMANCE.md');
    }
  }
  const misses = results.flatMap((result) => result.figures).filter((figure) => status(figure) === 'MISS').length;
  const errors = results.filter((result) => result.error !== undefined).length;
  log(
    `${profile.name} bench took ${formatSeconds(durationSeconds)} (${formatSeconds(fixtureSeconds)} building fixtures): ` +
      `${misses} MISS, ${errors} errors`,
  );
  if (errors > 0) process.exitCode = 1;
}

await main();
