// Runs on `npm install` / `npm ci` in this repository (the `prepare` script; never for users of the
// package). The Node binaries of the version matrix (devDependencies node22 and node26, npm aliases of
// the `node` package) all declare a `node` bin, and npm links whichever comes last as
// node_modules/.bin/node. npm scripts must run on the pinned Node 24, so point that link back at it.
import { existsSync, rmSync, symlinkSync } from 'node:fs';

const link = 'node_modules/.bin/node';
const target = '../node/bin/node';
if (existsSync('node_modules/node/bin/node')) {
  rmSync(link, { force: true });
  symlinkSync(target, link);
}
