import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runChild } from '../support/children.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// Runs the README's example as a user would (`npm run example:ai-sdk` minus the build, which pretest does).
// It needs ModelLearner.choose() (issue 13) for its adaptive part.
describe('examples/ai-sdk-routing.ts', () => {
  it('routes most calls to the strong model, and records the middleware and span outcomes', async () => {
    const run = await runChild([join(ROOT, 'examples', 'ai-sdk-routing.ts')], { cwd: ROOT });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const calls = Object.fromEntries(
      [...run.stdout.matchAll(/^ {2}(\S+)\s+(\d+) calls/gm)].map((match) => [match[1], Number(match[2])]),
    );
    expect(Object.keys(calls).sort()).toEqual(['cheap-model', 'middle-model', 'strong-model']);
    expect(calls['strong-model']).toBeGreaterThan(Math.max(calls['cheap-model'] ?? 0, calls['middle-model'] ?? 0));
    expect(run.stdout).toContain('middleware: strong-model recorded 1 call, 1500 tokens');
    expect(run.stdout).toContain('otel: gpt-4o recorded 1 call, 1000 tokens');
  });
});
