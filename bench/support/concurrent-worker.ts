/**
 * One of the processes of the concurrent-postgres case (bench/cases/concurrent-postgres.ts), forked
 * from its compiled copy: concurrent-worker.js <WorkerInput as JSON>. Opens the store, says 'ready',
 * waits for 'go' (so that every worker starts recording at once), records its outcomes one at a time,
 * says 'done', closes the store and exits. It exits at once if the case process goes away.
 */
import { openStore, silentLogger } from '../../src/index.js';
import { liveInputs } from './dataset.js';
import { sendToParent } from './ipc.js';

export interface WorkerInput {
  backend: 'postgres' | 'sqlite';
  dir: string;
  /** The server and schema, for backend 'postgres'. */
  url?: string;
  schema?: string;
  count: number;
  seed: number;
  busyTimeoutMs: number;
}

/** What a worker sends the case process. */
export type WorkerMessage = { kind: 'ready' } | { kind: 'done'; recorded: number } | { kind: 'failed'; error: string };

/** What the case process sends a worker. */
export type WorkerCommand = { kind: 'go' };

function send(message: WorkerMessage): Promise<void> {
  return sendToParent(
    message,
    'concurrent-worker.ts runs under the concurrent-postgres case, which gives it an IPC channel',
  );
}

function go(): Promise<void> {
  return new Promise((resolve) => {
    process.on('message', (command: WorkerCommand) => {
      if (command.kind === 'go') resolve();
    });
  });
}

async function main(): Promise<void> {
  const [inputJson] = process.argv.slice(2);
  if (inputJson === undefined) throw new Error('usage: concurrent-worker.ts <input json>');
  const input = JSON.parse(inputJson) as WorkerInput;
  const started = go();
  const store = await openStore({
    dir: input.dir,
    backend: input.backend,
    fallback: false,
    logger: silentLogger,
    busyTimeoutMs: input.busyTimeoutMs,
    ...(input.url === undefined ? {} : { url: input.url }),
    ...(input.schema === undefined ? {} : { postgresSchema: input.schema }),
  });
  try {
    // Fresh dispatch results; record() gives each a new id, so the outcomes of all workers are distinct.
    const inputs = liveInputs(input.count, input.seed);
    await send({ kind: 'ready' });
    await started;
    for (const outcome of inputs) await store.record(outcome);
    await send({ kind: 'done', recorded: inputs.length });
  } finally {
    await store.close();
  }
}

// The case process was killed (its time limit): nothing waits for this one any more.
process.on('disconnect', () => process.exit(1));
try {
  await main();
  process.exit(0);
} catch (error) {
  await send({ kind: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }).catch(
    () => undefined,
  );
  process.exit(1);
}
