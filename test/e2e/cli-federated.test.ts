import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RankedModel } from '../../src/index.js';
import { makeTempDir, parseJson, runCli } from '../support/cli-runner.js';
import { outcomesOf, seedStore } from '../support/cli-seed.js';

interface StatsDocument {
  format: string;
  version: number;
  sourceId: string;
  entries: Array<{ taskType: string; modelId: string; successes: number; failures: number }>;
}

let work: Awaited<ReturnType<typeof makeTempDir>>;
const cli = (...args: string[]) => runCli(args, { cwd: work.dir });

beforeAll(async () => {
  work = await makeTempDir('cli-federated');
  // Team A knows claude-opus well; team B has only tried gpt-4o.
  await seedStore(join(work.dir, 'team-a'), 'auto', [
    ...outcomesOf('execute-task', 'claude-opus', 28, 30),
    ...outcomesOf('execute-task', 'rarely-used', 2, 4),
  ]);
  await seedStore(join(work.dir, 'team-b'), 'auto', outcomesOf('execute-task', 'gpt-4o', 15, 20));
});

afterAll(() => work.remove());

describe('model-perf export --format stats and import', () => {
  it('exports the aggregates with at least --min-samples samples (default 10), as JSON', async () => {
    const run = await cli('export', '--dir', 'team-a', '--json');
    expect(run.code).toBe(0);
    const document = parseJson<StatsDocument>(run);
    expect(document).toMatchObject({ format: 'model-perf-stats', version: 2 });
    expect(document.entries.map((entry) => [entry.modelId, entry.successes, entry.failures])).toEqual([
      ['claude-opus', 28, 2],
    ]);
    const all = parseJson<StatsDocument>(await cli('export', '--dir', 'team-a', '--min-samples', '1', '--json'));
    expect(all.entries).toHaveLength(2);
  });

  it("imports another installation's export as priors that only rank --federated uses", async () => {
    const exported = await cli('export', '--dir', 'team-a', '--out', 'team-a.json', '--json');
    expect(exported.code).toBe(0);
    expect(parseJson(exported)).toMatchObject({ format: 'stats', rows: 1, file: join(work.dir, 'team-a.json') });

    const run = await cli('import', 'team-a.json', '--dir', 'team-b', '--json');
    expect(run.code).toBe(0);
    expect(parseJson(run)).toMatchObject({ file: 'team-a.json', entries: 1 });
    expect(run.stderr).toContain('import: 2/2 (100%)');

    const local = parseJson<{ models: RankedModel[] }>(await cli('rank', 'execute-task', '--dir', 'team-b', '--json'));
    expect(local.models.map((model) => model.modelId)).toEqual(['gpt-4o']);
    const federated = parseJson<{ models: RankedModel[] }>(
      await cli('rank', 'execute-task', '--federated', '--dir', 'team-b', '--json'),
    );
    expect(federated.models.map((model) => model.modelId)).toEqual(['claude-opus', 'gpt-4o']);
  });

  it("refuses a store's own export, a file that is not JSON, and one that is not a stats document (exit 1)", async () => {
    await cli('export', '--dir', 'team-a', '--out', 'own.json');
    const own = await cli('import', 'own.json', '--dir', 'team-a');
    expect(own.code).toBe(1);
    expect(own.stderr).toContain('error MP_INVALID_IMPORT: The stats document comes from this store itself');

    await writeFile(join(work.dir, 'broken.json'), '{"format": ');
    const broken = await cli('import', 'broken.json', '--dir', 'team-b');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('error MP_INVALID_IMPORT: broken.json is not JSON');

    await writeFile(join(work.dir, 'legacy.json'), '{"execute-task": {"m": {"successes": 1, "failures": 0}}}');
    const legacy = await cli('import', 'legacy.json', '--dir', 'team-b');
    expect(legacy.code).toBe(1);
    expect(legacy.stderr).toContain('error MP_INVALID_IMPORT: Invalid stats document');

    expect((await cli('import', '--dir', 'team-b')).code).toBe(2);
    expect((await cli('import', 'missing.json', '--dir', 'team-b')).code).toBe(1);
  });
});
