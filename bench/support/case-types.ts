import type { Backend, Figure } from './figures.js';
import type { BenchProfile, ProfileName, StoreSizes } from './profile.js';

export type StoreFixture = `${Backend}-${keyof StoreSizes}`;
export type FixtureName = StoreFixture | 'outcomes-table';

/** Where the built fixtures are: a store dir per StoreFixture, a SQLite file for 'outcomes-table'. */
export type FixturePaths = Partial<Record<FixtureName, string>>;

/** What the orchestrator hands a case's child process (as JSON on its command line). */
export interface CaseInput {
  profile: ProfileName;
  fixtures: FixturePaths;
  /** An empty dir for this process alone; the orchestrator removes it when the process ends. */
  workDir: string;
}

export interface CaseContext {
  profile: BenchProfile;
  fixtures: FixturePaths;
  workDir: string;
}

/** A bench/cases/*.ts module. */
export interface CaseModule {
  run(context: CaseContext): Promise<Figure[]>;
}

export interface CaseEntry {
  name: string;
  title: string;
  backend: Backend;
  /** The fixtures it reads, built (or taken from the cache) before it runs. */
  needs: readonly FixtureName[];
  /** Fresh processes to run it in, each adding its samples; 1 unless a sample needs a fresh process. */
  processes(profile: BenchProfile): number;
  load(): Promise<CaseModule>;
}

/** The one message a case's child sends before it exits. */
export type ChildMessage =
  | { kind: 'done'; figures: Figure[]; peakRssMb: number }
  | { kind: 'failed'; error: string; peakRssMb: number };

/** A fixture path the case declared in `needs`; missing means the orchestrator and the case disagree. */
export function fixture(context: CaseContext, name: FixtureName): string {
  const path = context.fixtures[name];
  if (path === undefined) throw new Error(`fixture ${name} was not built: add it to the case's needs`);
  return path;
}
