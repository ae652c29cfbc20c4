import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison, RankedModel, TrendPoint } from '../../src/index.js';
import { makeTempDir, parseJson, runCli } from '../support/cli-runner.js';
import { outcomesOf, seedStore } from '../support/cli-seed.js';

const LONG_NAME = `provider/${'very-long-model-name-'.repeat(4)}v2`;

interface ReportDocument {
  backend: string;
  tasks: Array<{
    taskType: string;
    samples: number;
    models: Array<RankedModel & { rank: number | null; demote: boolean; demotionReason: string }>;
    abTest: { incumbent: RankedModel; challenger: RankedModel; reason: string } | null;
  }>;
}

let work: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  work = await makeTempDir('cli-queries');
  for (const backend of ['sqlite', 'json'] as const) {
    await seedStore(`${work.dir}/${backend}`, backend, [
      ...outcomesOf('execute-task', 'claude-opus', 19, 20),
      ...outcomesOf('execute-task', 'gpt-4o', 15, 20),
      ...outcomesOf('execute-task', 'llama-70b', 2, 20),
      ...outcomesOf('execute-task', 'newcomer', 2, 2),
      ...outcomesOf('plan-slice', LONG_NAME, 4, 5),
    ]);
  }
});

afterAll(() => work.remove());

describe.each(['sqlite', 'json'] as const)('queries on %s', (backend) => {
  const cli = (...args: string[]) => runCli([...args, '--dir', backend, '--backend', backend], { cwd: work.dir });

  it('rank: the models best first, leaving out those below --min-samples', async () => {
    const run = await cli('rank', 'execute-task', '--json');
    expect(run.code).toBe(0);
    const { taskType, models } = parseJson<{ taskType: string; models: RankedModel[] }>(run);
    expect(taskType).toBe('execute-task');
    expect(models.map((model) => model.modelId)).toEqual(['claude-opus', 'gpt-4o', 'llama-70b']);
    expect(models[0]).toMatchObject({ samples: 20, successes: 19, successRate: 0.95 });
    expect(models[0]?.lower).toBeLessThan(0.95);

    const all = parseJson<{ models: RankedModel[] }>(await cli('rank', 'execute-task', '--min-samples', '1', '--json'));
    expect(all.models.map((model) => model.modelId)).toContain('newcomer');
    const raw = parseJson<{ models: RankedModel[] }>(
      await cli('rank', 'execute-task', '--strategy', 'raw', '--min-samples', '1', '--json'),
    );
    expect(raw.models[0]?.modelId).toBe('newcomer');
  });

  it('rank: a human table with aligned columns', async () => {
    const run = await cli('rank', 'execute-task', '--window-days', '30');
    expect(run.code).toBe(0);
    const [header, rule, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^#\s+model\s+samples\s+success\s+all time \(n\)\s+drift\s+wilson 95%/);
    expect(rule).toMatch(/^[─ ]+$/);
    expect(rows.pop()).toBe(
      'sorted by the lower bound of the wilson 95% interval on the last 30 days; (n): samples; drift: the last 30 days differ from before (p < 0.05)',
    );
    expect(rows).toHaveLength(3);
    // Right-aligned numbers end in the same column as their header.
    const samplesEnd = (header ?? '').indexOf('samples') + 'samples'.length;
    for (const row of rows) expect(row.slice(samplesEnd - 2, samplesEnd)).toBe('20');
  });

  it('report: every task type with its ranking, demotion verdicts and A/B pair', async () => {
    const run = await cli('report', '--json');
    expect(run.code).toBe(0);
    const report = parseJson<ReportDocument>(run);
    expect(report.backend).toBe(backend);
    expect(report.tasks.map((task) => task.taskType)).toEqual(['execute-task', 'plan-slice']);
    const execute = report.tasks[0];
    expect(execute?.samples).toBe(62);
    expect(execute?.models.map((model) => [model.modelId, model.rank, model.demote])).toEqual([
      ['claude-opus', 1, false],
      ['gpt-4o', 2, false],
      ['llama-70b', 3, true],
      ['newcomer', null, false],
    ]);
    expect(execute?.models[2]?.demotionReason).toContain('demote');
    expect(execute?.abTest?.incumbent.modelId).toBe('claude-opus');
    expect(execute?.abTest?.challenger.modelId).toBe('newcomer');
  });

  it('report: flags in a status column, unranked models marked –, long names cut with …', async () => {
    const run = await cli('report');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('demote');
    expect(run.stdout).toMatch(/^– {2}newcomer .* A\/B challenger$/m);
    expect(run.stdout).not.toContain(LONG_NAME);
    expect(run.stdout).toContain(`${LONG_NAME.slice(0, 39)}…`);
  });

  it('trend: one point per day and model over --days', async () => {
    const run = await cli('trend', 'execute-task', '--days', '3', '--json');
    expect(run.code).toBe(0);
    const { days, points } = parseJson<{ days: number; points: TrendPoint[] }>(run);
    expect(days).toBe(3);
    expect(new Set(points.map((point) => point.day)).size).toBe(3);
    expect(new Set(points.map((point) => point.modelId))).toEqual(
      new Set(['claude-opus', 'gpt-4o', 'llama-70b', 'newcomer']),
    );
    const human = await cli('trend', 'execute-task', '--days', '3');
    expect(human.stdout).toMatch(/^day \(UTC\)\s+claude-opus\s+gpt-4o/);
  });

  it('ab: compares the models of a period with the significance of the lead', async () => {
    const run = await cli('ab', 'execute-task', '--since', '30d', '--models', 'claude-opus,llama-70b', '--json');
    expect(run.code).toBe(0);
    const comparison = parseJson<Comparison & { taskType: string }>(run);
    expect(comparison.models.map((model) => [model.modelId, model.trials, model.wins])).toEqual([
      ['claude-opus', 20, 19],
      ['llama-70b', 20, 2],
    ]);
    expect(comparison.significance?.leader).toBe('claude-opus');
    expect(comparison.significance?.pValue).toBeLessThan(0.001);
    const human = await cli('ab', 'execute-task', '--since', new Date(Date.now() - 86_400_000).toISOString());
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('newcomer leads claude-opus');
    expect(human.stdout).toContain('Not significant yet');
  });
});
