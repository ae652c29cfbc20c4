import type { Backend, Figure, Status } from './figures.js';
import type { Machine } from './machine.js';
import type { ProfileName } from './profile.js';

/** What one case produced, over all of its processes. */
export interface CaseResult {
  name: string;
  title: string;
  backend: Backend;
  processes: number;
  figures: Figure[];
  /** The highest maxRSS among its processes (MB); null when none reported. */
  peakRssMb: number | null;
  wallSeconds: number;
  error?: string;
}

/** bench/results/latest.json. */
export interface BenchResults {
  profile: ProfileName;
  date: string;
  /** The commit measured, with "+changes" when the work tree differed from it. */
  commit: string;
  durationSeconds: number;
  /** The part of durationSeconds spent building fixtures that were not cached. */
  fixtureSeconds: number;
  /**
   * The 1-minute load average when the cases started and when they ended: above the core count, other
   * processes competed for the CPU and the absolute figures are slower than the machine is (the ratios,
   * measured in alternation, suffer less).
   */
  loadAverage: { start: number; end: number };
  machine: Machine;
  cases: Array<CaseResult & { figures: Array<Figure & { status?: Status }> }>;
}
