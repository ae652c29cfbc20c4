import { availableParallelism, cpus, totalmem } from 'node:os';
import { DatabaseSync } from 'node:sqlite';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  platform: string;
  node: string;
  sqlite: string;
}

function sqliteVersion(): string {
  const db = new DatabaseSync(':memory:');
  try {
    return String(db.prepare('SELECT sqlite_version() AS version').get()?.version);
  } finally {
    db.close();
  }
}

/** What the figures depend on besides the code: they are only comparable on the same machine. */
export function describeMachine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${process.platform} ${process.arch}`,
    node: process.versions.node,
    sqlite: sqliteVersion(),
  };
}
