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

/** What the PostgreSQL backend takes: the server, and the dir where it keeps its local files. */
export interface PostgresOptions extends BackendOptions {
  /** postgres://user@host:port/database. A password in it is never printed (info shows it redacted). */
  url: string;
  /** The schema that holds the tables, created on first use. Default 'model_perf'. */
  schema?: string;
  /** Connections this store keeps at most. Default 4. */
  poolSize?: number;
  /** How long one statement may run before the server cancels it; 0 for no limit. Default 30000. */
  statementTimeoutMs?: number;
}
