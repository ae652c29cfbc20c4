import { type ChildProcess, fork } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutcomeInput } from '../../src/index.js';
import { compiled } from './compile.js';
import { liveInputs } from './dataset.js';
import { type Backend, type Figure, figure } from './figures.js';
import { otherWork, StallMonitor, TICK_MS } from './stall-monitor.js';

const HELPER = compiled('bench/support/stall-helper.ts');
const READY_TIMEOUT_MS = 60_000;

/** Something that records, as the caller of a stall case sees it: ours (a store) or the raw baseline. */
export interface Recorder {
  record(input: OutcomeInput): unknown;
  /** Called every `extraEvery` records, for a call that takes the lock (JSON: an imports change). */
  extra?(round: number): Promise<unknown>;
  extraEvery?: number;
}

/**
 * The longest event-loop stall while the caller records `count` outcomes with other work between its
 * calls, a timer firing every TICK_MS all along. It ends after a pause, so that work the store deferred
 * (a compaction) runs while it is watched.
 */
export async function longestStall(recorder: Recorder, count: number, seed: number): Promise<number> {
  const inputs = liveInputs(count, seed);
  const monitor = new StallMonitor();
  monitor.start();
  for (const [index, input] of inputs.entries()) {
    await recorder.record(input);
    if (recorder.extra !== undefined && recorder.extraEvery !== undefined && index % recorder.extraEvery === 0) {
      await recorder.extra(index);
    }
    await otherWork();
  }
  await sleep(200);
  return monitor.stop();
}

/** Runs `body` while helper processes (stall-helper.ts) work beside it; kills them after. */
export async function withHelpers<T>(helpers: ReadonlyArray<readonly string[]>, body: () => Promise<T>): Promise<T> {
  const children: ChildProcess[] = [];
  try {
    await Promise.all(
      helpers.map(
        (args) =>
          new Promise<void>((resolve, reject) => {
            const child = fork(HELPER, [...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
            children.push(child);
            const timer = setTimeout(
              () => reject(new Error(`stall helper ${args.join(' ')} never got ready`)),
              READY_TIMEOUT_MS,
            );
            child.once('message', () => {
              clearTimeout(timer);
              resolve();
            });
            child.once('exit', (code) => reject(new Error(`stall helper ${args.join(' ')} exited (${code})`)));
          }),
      ),
    );
    return await body();
  } finally {
    // Killed and waited for: a helper still dying could write one more file into the dir being removed.
    await Promise.all(
      children.map((child) => {
        child.removeAllListeners('exit');
        if (child.exitCode !== null || child.signalCode !== null) return undefined;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        return exited;
      }),
    );
  }
}

export type Scenario = 'alone' | 'lock' | 'writers';

export const SCENARIO_LABELS: Record<Scenario, string> = {
  alone: 'alone, at the large store size',
  lock: 'another process holds the lock 400 ms at a time',
  writers: '3 other processes recording flat out',
};

/** The figure of one scenario: the acceptance is a stall of at most 50 ms. */
export function stallFigure(
  backend: Backend,
  scenario: Scenario,
  sizeText: string,
  ours: { label: string; stallMs: number; records: number },
  baseline?: { label: string; stallMs: number },
): Figure {
  const label = scenario === 'alone' ? `alone, ${sizeText} stored` : SCENARIO_LABELS[scenario];
  return figure({
    id: `${backend}.stall.${scenario}`,
    backend,
    label: `longest event-loop stall (${TICK_MS} ms timer): ${label}`,
    unit: 'ms',
    ours: { label: ours.label, samples: [ours.stallMs] },
    ...(baseline === undefined ? {} : { baseline: { label: baseline.label, samples: [baseline.stallMs] } }),
    target: { on: 'value', op: '<=', limit: 50, text: '<= 50 ms' },
    note: `${ours.records} records, other work between the calls`,
  });
}
