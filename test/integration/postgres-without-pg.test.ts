import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { runChild } from '../support/children.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

// Runs in an installation of the built package that has its dependency (semver) but not the optional
// peer pg, as `npm install model-perf` without `npm install pg` leaves it.
const PROBE = `
import { openStore, silentLogger } from 'model-perf';
const [dir] = process.argv.slice(2);
const options = { dir, backend: 'postgres', url: 'postgres://runtime@127.0.0.1:5432/fleet', logger: silentLogger };
const strict = await openStore({ ...options, fallback: false }).then(
  () => null,
  (error) => ({ code: error.code, message: error.message }),
);
const store = await openStore(options);
await store.record({ taskType: 't', modelId: 'm', success: true });
console.log(JSON.stringify({ strict, info: store.info }));
await store.close();
`;

it('without pg installed: MP_BACKEND_UNAVAILABLE saying to install it, or local JSON with fallback', async () => {
  const root = await mkdtemp(join(tmpdir(), 'model-perf-no-pg-'));
  dirs.push(root);
  const installed = join(root, 'node_modules', 'model-perf');
  await mkdir(installed, { recursive: true });
  await cp(join(REPO, 'dist'), join(installed, 'dist'), { recursive: true });
  await cp(join(REPO, 'package.json'), join(installed, 'package.json'));
  await symlink(join(REPO, 'node_modules', 'semver'), join(root, 'node_modules', 'semver'), 'dir');
  await writeFile(join(root, 'probe.mjs'), PROBE);
  const store = join(root, 'store');

  const result = await runChild([join(root, 'probe.mjs'), store]);
  expect(result, result.stderr).toMatchObject({ code: 0 });
  const { strict, info } = JSON.parse(result.stdout) as {
    strict: { code: string; message: string };
    info: { backend: string; degraded: boolean; reason: string };
  };
  expect(strict.code).toBe('MP_BACKEND_UNAVAILABLE');
  expect(strict.message).toContain('npm install pg');
  expect(info).toMatchObject({ backend: 'json', degraded: true });
  expect(info.reason).toContain('npm install pg');
  expect(await readdir(store)).toContain('journal');
});
