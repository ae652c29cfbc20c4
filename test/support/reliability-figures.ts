import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the fault-injection and soak tests leave their figures (git-ignored), for docs/RELIABILITY.md. */
export const FIGURES_DIR = fileURLToPath(new URL('../../artifacts/reliability/', import.meta.url));

/** Writes one test's figures as `<name>.json`, stamped with when and where they were measured. */
export async function writeFigures(name: string, figures: Record<string, unknown>): Promise<void> {
  await mkdir(FIGURES_DIR, { recursive: true });
  const document = { measuredAt: new Date().toISOString(), node: process.versions.node, ...figures };
  await writeFile(join(FIGURES_DIR, `${name}.json`), `${JSON.stringify(document, null, 2)}\n`);
}
