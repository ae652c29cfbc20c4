import { join } from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { openJsonStore } from '../../src/backends/json/index.js';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { defineStoreContract } from '../contract/index.js';
import { FIXTURES, runChild } from '../support/children.js';

const vitest = { describe, test, expect };
defineStoreContract('SqliteStore', (dir) => openSqliteStore({ dir, logger: silentLogger }), vitest);
defineStoreContract('JsonStore', (dir) => openJsonStore({ dir, logger: silentLogger }), vitest);

describe('the contract suite under another runner', () => {
  it('runs under node:test with the runner it is given, every test passing', async () => {
    const run = await runChild(['--test', '--test-reporter=tap', join(FIXTURES, 'contract-node-test.mjs')]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const count = (name: string): number => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(run.stdout)?.[1]);
    expect(count('tests')).toBeGreaterThan(40);
    expect(count('pass')).toBe(count('tests'));
    expect(count('fail')).toBe(0);
  });
});
