import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCost } from '../../src/dashboard/index.js';
import type { Outcome, RankedModel } from '../../src/index.js';
import { makeTempDir, parseJson, runCli, STACK_LINE } from '../support/cli-runner.js';

let work: Awaited<ReturnType<typeof makeTempDir>>;
const cli = (...args: string[]) => runCli(args, { cwd: work.dir });

beforeEach(async () => {
  work = await makeTempDir('cli-record');
});

afterEach(() => work.remove());

/** What the store holds, as the export prints it: the header and one CSV line per task and model. */
async function csvLines(): Promise<string[]> {
  const run = await cli('export', '--format', 'csv');
  expect(run.code).toBe(0);
  return run.stdout.trimEnd().split('\n');
}

describe('model-perf record', () => {
  it('records an outcome and prints it, as JSON with --json', async () => {
    const run = await cli(
      'record',
      '--task',
      'execute-task',
      '--model',
      'gpt-4o',
      '--success',
      '--tokens',
      '1200',
      '--cost',
      '0.04',
      '--latency',
      '950',
      '--id',
      'call-1',
      '--json',
    );
    expect(run.code).toBe(0);
    const { outcome } = parseJson<{ outcome: Outcome }>(run);
    expect(outcome).toMatchObject({
      id: 'call-1',
      taskType: 'execute-task',
      modelId: 'gpt-4o',
      success: true,
      timeout: false,
      tokensUsed: 1200,
      costUsd: 0.04,
      latencyMs: 950,
    });
    expect(Date.parse(outcome.timestamp)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('says only what was given, and averages only the given values', async () => {
    const bare = await cli('record', '--task', 'execute-task', '--model', 'gpt-4o', '--success', '--id', 'bare');
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain('Recorded a success of gpt-4o on execute-task, id bare.');
    expect(bare.stdout).not.toMatch(/tokens|\$/);
    const priced = ['--success', '--tokens', '1000', '--cost', '0.5', '--id', 'priced'];
    expect((await cli('record', '--task', 'execute-task', '--model', 'gpt-4o', ...priced)).code).toBe(0);
    const ranked = parseJson<{ models: RankedModel[] }>(
      await cli('rank', 'execute-task', '--min-samples', '1', '--json'),
    );
    expect(ranked.models).toEqual([expect.objectContaining({ samples: 2, avgTokens: 1000, avgCost: 0.5 })]);
    const table = await cli('rank', 'execute-task', '--min-samples', '1');
    expect(table.stdout).toContain('1,000');
    expect(table.stdout).toContain('$0.50');
    // tokens and cost: total, values given; then avgTokens, avgCost and an empty avgLatencyMs.
    expect((await csvLines())[1]).toMatch(/^execute-task,gpt-4o,2,2,0,0,1,1000,1,0\.5,1,0,0,[^,]+,1000,0\.5,$/);
    await cli('record', '--task', 'plan-slice', '--model', 'm', '--failure', '--id', 'unpriced');
    const unpriced = await cli('rank', 'plan-slice', '--min-samples', '1');
    expect(unpriced.code).toBe(0);
    expect(unpriced.stdout).not.toContain('$0');
  });

  it('records a timed-out failure, and counts a repeated id once', async () => {
    const args = ['record', '--task', 'plan-slice', '--model', 'llama-70b', '--failure', '--timeout', '--id', 'x'];
    const first = await cli(...args);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Recorded a failure (timeout) of llama-70b on plan-slice');
    expect((await cli(...args)).code).toBe(0);
    const lines = await csvLines();
    expect(lines).toHaveLength(2);
    // samples, successes, failures, timeouts
    expect(lines[1]).toMatch(/^plan-slice,llama-70b,1,0,1,1,/);
  });

  it('prints a cost as the dashboard shows it (one cost format)', async () => {
    const run = await cli('record', '--task', 't', '--model', 'm', '--success', '--cost', '0.012345');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(formatCost(0.012345));
    expect(run.stdout).toContain('$0.01235');
  });

  it.each([{ tokens: ['--tokens', '-5'] }, { tokens: ['--tokens=-5'] }])(
    'rejects $tokens as MP_INVALID_OUTCOME (exit 1), without a stack trace, recording nothing',
    async ({ tokens }) => {
      const run = await cli('record', '--task', 'execute-task', '--model', 'gpt-4o', '--failure', ...tokens);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('error MP_INVALID_OUTCOME: Invalid tokensUsed: must not be negative, got -5');
      expect(run.stderr).toMatch(/^hint: .*Nothing was recorded\.$/m);
      expect(run.stderr).not.toMatch(STACK_LINE);
      expect(run.stdout).toBe('');
      expect(await csvLines()).toHaveLength(1);
    },
  );

  it('rejects a negative cost and an empty task the same way', async () => {
    const cost = await cli('record', '--task', 't', '--model', 'm', '--success', '--cost', '-0.5');
    expect(cost.code).toBe(1);
    expect(cost.stderr).toContain('error MP_INVALID_OUTCOME:');
    const empty = await cli('record', '--task', '', '--model', 'm', '--success', '--json');
    expect(empty.code).toBe(1);
    expect(parseJson<{ error: { code: string } }>(empty).error.code).toBe('MP_INVALID_OUTCOME');
    expect(await csvLines()).toHaveLength(1);
  });

  it.each([
    { args: ['--model', 'm', '--success'], message: 'Missing --task' },
    { args: ['--task', 't', '--success'], message: 'Missing --model' },
    { args: ['--task', 't', '--model', 'm'], message: 'Missing --success or --failure' },
    {
      args: ['--task', 't', '--model', 'm', '--success', '--failure'],
      message: '--success and --failure cannot be used together',
    },
    { args: ['--task', 't', '--model', 'm', '--success', '--tokens', 'many'], message: '--tokens expects a number' },
    {
      args: ['--task', 't', '--model', 'm', '--success', '--tokens'],
      message: "Option '--tokens <value>' argument missing",
    },
  ])('is a usage error (exit 2): $message', async ({ args, message }) => {
    const run = await cli('record', ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error MP_USAGE: ${message}`);
  });
});
