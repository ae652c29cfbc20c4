// Runs on `npm install` / `npm ci` in this repository (the `prepare` script; never for users of the
// package). Several devDependencies declare the same bin names, and npm links whichever comes last:
// the Node binaries of the version matrix (node22, node26: aliases of the `node` package) all declare
// `node`, and TypeScript 6 (needed by tsup's declaration build) declares `tsc`. npm scripts must run on
// the pinned Node 24 and typecheck with TypeScript 7, so point those links back at them.
import { existsSync, rmSync, symlinkSync } from 'node:fs';

const pins = {
  node: 'node/bin/node',
  tsc: 'typescript/bin/tsc',
};
for (const [bin, target] of Object.entries(pins)) {
  if (!existsSync(`node_modules/${target}`)) continue;
  rmSync(`node_modules/.bin/${bin}`, { force: true });
  symlinkSync(`../${target}`, `node_modules/.bin/${bin}`);
}
