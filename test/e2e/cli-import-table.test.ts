import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, parseJson, runCli } from '../support/cli-runner.js';

const ROWS = 2500;
const DAY_MS = 86_400_000;

interface ImportResult {
  file: string;
  table: string;
  rows: number;
  imported: number;
  alreadyPresent: number;
  skipped: number;
  problems: Array<{ rowId: number; message: string }>;
}

let work: Awaited<ReturnType<typeof makeTempDir>>;
let source: string;
const cli = (...args: string[]) => runCli([...args, '--dir', 'store'], { cwd: work.dir });

/** An agent runtime's own outcomes table, with one row a validating import must skip. */
function writeOutcomesTable(file: string, table: string): void {
  const db = new DatabaseSync(file);
  db.exec(`CREATE TABLE ${table} (
    id INTEGER PRIMARY KEY, model_id TEXT, unit_type TEXT, succeeded INTEGER,
    duration_ms INTEGER, tokens_total INTEGER, cost_usd REAL, recorded_at INTEGER)`);
  const insert =
    db.prepare(`INSERT INTO ${table} (model_id, unit_type, succeeded, duration_ms, tokens_total, cost_usd, recorded_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const now = Date.now();
  db.exec('BEGIN');
  for (let row = 0; row < ROWS; row += 1) {
    insert.run(
      row % 3 === 0 ? 'gpt-4o' : 'claude-opus',
      row % 2 === 0 ? 'execute-task' : 'plan-slice',
      row % 4 === 0 ? 0 : 1,
      900,
      1000,
      0.01,
      now - (row % 20) * DAY_MS,
    );
  }
  insert.run('gpt-4o', 'execute-task', 1, 900, -7, 0.01, now);
  db.exec('COMMIT');
  db.close();
}

beforeAll(async () => {
  work = await makeTempDir('cli-import-table');
  source = join(work.dir, 'runtime.db');
  writeOutcomesTable(source, 'llm_task_outcomes');
  writeOutcomesTable(join(work.dir, 'other.db'), 'outcomes_2025');
});

afterAll(() => work.remove());

describe('model-perf import-table', () => {
  it('imports every valid row with progress lines, reports the bad one, and imports nothing twice', async () => {
    const run = await cli('import-table', 'runtime.db', '--json');
    expect(run.code).toBe(0);
    const result = parseJson<ImportResult>(run);
    expect(result).toMatchObject({
      table: 'llm_task_outcomes',
      rows: ROWS + 1,
      imported: ROWS,
      alreadyPresent: 0,
      skipped: 1,
    });
    expect(result.problems[0]?.message).toContain('tokensUsed');
    expect(run.stderr).toContain(
      `import: ${(ROWS + 1).toLocaleString('en-US')}/${(ROWS + 1).toLocaleString('en-US')} (100%)`,
    );
    expect(run.stderr).toContain('warning: 1 row could not be imported');

    const again = parseJson<ImportResult>(await cli('import-table', 'runtime.db', '--json', '--quiet'));
    expect(again).toMatchObject({ imported: 0, alreadyPresent: ROWS, skipped: 1 });
    const ranked = parseJson<{ models: Array<{ modelId: string; samples: number }> }>(
      await cli('rank', 'execute-task', '--json'),
    );
    expect(ranked.models.reduce((sum, model) => sum + model.samples, 0)).toBe(ROWS / 2);
  });

  it('takes another table with --table, and says so in words without --json', async () => {
    const run = await cli('import-table', 'other.db', '--table', 'outcomes_2025', '--quiet');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `Read 2,501 rows of outcomes_2025 in other.db: 2,500 imported, 0 already present, 1 skipped.`,
    );
    expect(run.stdout).toContain('Skipped rows:');
    expect(run.stderr).toBe('');
  });

  it('fails with exit 1 on a missing file or table, and 2 without a file', async () => {
    const missing = await cli('import-table', 'nope.db');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error MP_IO: Cannot read');
    const noTable = await cli('import-table', 'runtime.db', '--table', 'absent');
    expect(noTable.code).toBe(1);
    expect(noTable.stderr).toContain('error MP_INVALID_IMPORT:');
    expect((await cli('import-table')).code).toBe(2);
  });
});
