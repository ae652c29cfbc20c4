import type { Logger } from './logger.js';

export type Durability = 'normal' | 'full';

/** How openStore chose a backend; a backend opened directly describes itself. */
export interface Selection {
  reason: string;
  degraded: boolean;
  warnings: string[];
}

/** What every backend takes when it opens a store dir. */
export interface BackendOptions {
  dir: string;
  /** 'normal' survives process crashes; 'full' also survives power loss, at a cost per write. */
  durability?: Durability;
  /** How long a write waits for another process's lock before MP_LOCKED. Default 5000 ms. */
  busyTimeoutMs?: number;
  logger?: Logger;
  selection?: Selection;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
