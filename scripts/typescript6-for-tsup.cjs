// Preloaded by `npm run build` only. tsup's declaration build uses the TypeScript compiler API, which
// TypeScript 7 (native) no longer ships; part of tsup loads it from `typescript` with no fallback. In
// the build process (and its worker threads, which inherit --require), `typescript` resolves to the
// TypeScript 6 compatibility package. Type checking (`npm run typecheck`) stays on TypeScript 7.
const Module = require('node:module');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveTypeScript6(request, ...rest) {
  return resolveFilename.call(this, request === 'typescript' ? '@typescript/typescript6' : request, ...rest);
};
