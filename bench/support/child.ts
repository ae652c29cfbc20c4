/**
 * The entry of a case's child process, run by run-case.ts from its compiled copy (compile.ts):
 * child.js <case> <CaseInput as JSON>.
 * Runs the one case and sends the orchestrator a ChildMessage over the IPC channel, then exits
 * (explicitly: a store a failed case left open must not keep the process alive).
 */
import { CASES } from '../cases/index.js';
import type { CaseInput, ChildMessage } from './case-types.js';
import { sendToParent } from './ipc.js';
import { peakRssMb } from './peak-rss.js';
import { PROFILES } from './profile.js';

function send(message: ChildMessage): Promise<void> {
  return sendToParent(message, 'child.ts runs under the orchestrator (bench/run.ts), which gives it an IPC channel');
}

async function main(): Promise<ChildMessage> {
  const [name, inputJson] = process.argv.slice(2);
  const entry = CASES.find((candidate) => candidate.name === name);
  if (entry === undefined || inputJson === undefined) throw new Error(`usage: child.ts <case> <input json>`);
  const input = JSON.parse(inputJson) as CaseInput;
  const module = await entry.load();
  const figures = await module.run({
    profile: PROFILES[input.profile],
    fixtures: input.fixtures,
    workDir: input.workDir,
  });
  return { kind: 'done', figures, peakRssMb: peakRssMb() };
}

// It leads a process group of its own (spawn.ts), which a signal to the orchestrator does not reach:
// when the orchestrator dies, its IPC channel closes, and the case must not go on loading the machine.
process.on('disconnect', () => process.exit(1));

let message: ChildMessage;
try {
  message = await main();
} catch (error) {
  message = {
    kind: 'failed',
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    peakRssMb: peakRssMb(),
  };
}
await send(message);
process.exit(0);
