/**
 * Lets Node run the TypeScript sources directly (node --import ./bench/support/resolve-ts.ts bench/x.ts).
 * Node strips types itself, but the sources import each other as './x.js', as the compiled package
 * will, and Node does not map that specifier to x.ts; this hook retries a missing relative './x.js' as
 * './x.ts'. Nothing else changes, so the benchmark runs the same code the tests run.
 */
import { registerHooks } from 'node:module';

function isModuleNotFound(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND';
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!specifier.startsWith('.') || !specifier.endsWith('.js') || !isModuleNotFound(error)) throw error;
      return nextResolve(`${specifier.slice(0, -'.js'.length)}.ts`, context);
    }
  },
});
