import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Choice } from '../../src/index.js';
import { makeTempDir, parseJson, runCli } from '../support/cli-runner.js';
import { outcomesOf, seedStore } from '../support/cli-seed.js';

let work: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  work = await makeTempDir('cli-choose');
  for (const backend of ['sqlite', 'json'] as const) {
    await seedStore(`${work.dir}/${backend}`, backend, [
      ...outcomesOf('execute-task', 'claude-opus', 38, 40),
      ...outcomesOf('execute-task', 'llama-70b', 4, 40),
    ]);
  }
});

afterAll(() => work.remove());

describe.each(['sqlite', 'json'] as const)('choose on %s', (backend) => {
  const cli = (...args: string[]) => runCli([...args, '--dir', backend, '--backend', backend], { cwd: work.dir });

  it('--json: the pick, its reason, and every candidate with P(best)', async () => {
    const run = await cli('choose', 'execute-task', '--candidates', 'llama-70b,claude-opus,brand-new', '--json');
    expect(run.code).toBe(0);
    const choice = parseJson<Choice & { taskType: string }>(run);
    expect(choice.taskType).toBe('execute-task');
    expect(['claude-opus', 'brand-new']).toContain(choice.modelId);
    expect(choice.ranking.map((row) => row.modelId).sort()).toEqual(['brand-new', 'claude-opus', 'llama-70b']);
    expect(choice.ranking.reduce((sum, row) => sum + row.pBest, 0)).toBeCloseTo(1, 6);
    expect(choice.ranking.find((row) => row.modelId === 'llama-70b')?.pBest).toBeLessThan(0.001);
    expect(choice.ranking.find((row) => row.modelId === 'brand-new')).toMatchObject({ samples: 0, successRate: null });
  });

  it('--seed makes the pick repeatable; a table for people', async () => {
    const args = ['choose', 'execute-task', '--candidates', 'claude-opus,brand-new', '--seed', '42'];
    const first = await cli(...args);
    expect(first.code).toBe(0);
    expect((await cli(...args)).stdout).toBe(first.stdout);
    const [headline, , header] = first.stdout.split('\n');
    expect(headline).toMatch(/^(claude-opus|brand-new)( \(exploring\))?: /);
    expect(header).toMatch(/model +P\(best\) +samples +success +recent/);
  });

  it('refuses a bad command line with exit 2, naming the flag', async () => {
    const missing = await cli('choose', 'execute-task');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--candidates');
    const rate = await cli('choose', 'execute-task', '--candidates', 'a', '--min-success-rate', '1.5');
    expect(rate.code).toBe(2);
    expect(rate.stderr).toContain('--min-success-rate');
    const twice = await cli('choose', 'execute-task', '--candidates', 'a,a');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('listed twice');
  });
});
