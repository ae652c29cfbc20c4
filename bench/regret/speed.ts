/**
 * What one choose() decision costs in CPU, without a store: decideChoice over 4, 8 and 15 candidates
 * with realistic state (~1,000 outcomes each), next to the same number of Wilson interval computations
 * (what a ranking computes per model), interleaved round by round. Timed in this process's CPU time
 * (process.cpuUsage), so that a loaded machine's time slices given to others do not count; the ratio is
 * the figure to compare across machines.
 *
 *   node --import ./bench/support/resolve-ts.ts bench/regret/speed.ts [--rounds 30]
 */
import { parseArgs } from 'node:util';
import { addToRecency, emptyRecency } from '../../src/core/recency.js';
import { wilsonInterval } from '../../src/core/statistics/wilson.js';
import { type ChoiceState, decideChoice } from '../../src/learner/choose-policy.js';
import { seededRandom } from '../../test/support/seeded-random.js';

const CALLS_PER_BLOCK = 2000;
const SIZES = [4, 8, 15];

/** A model with `outcomes` outcomes at `rate`, recorded through the backends' update rule. */
function stateAt(rate: number, outcomes: number, random: () => number): ChoiceState {
  const state: ChoiceState = { successes: 0, failures: 0, totalCost: 0, costSamples: 0, ...emptyRecency() };
  for (let i = 0; i < outcomes; i += 1) {
    const success = random() < rate;
    addToRecency(state, success);
    if (success) state.successes += 1;
    else state.failures += 1;
    state.totalCost += 0.002;
    state.costSamples += 1;
  }
  return state;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '30' } } });
const random = seededRandom(7);
let sink = 0;
const contestants = SIZES.flatMap((size) => {
  const candidates = Array.from({ length: size }, (_, index) => `m${index + 1}`);
  // Close rates, so that several models stay contenders for P(best): the expensive case.
  const models = new Map(candidates.map((id, index) => [id, stateAt(0.8 + 0.01 * (index % 8), 1000, random)]));
  return [
    {
      name: `decide-${size}`,
      block: () => {
        for (let call = 0; call < CALLS_PER_BLOCK; call += 1) {
          sink += decideChoice({ taskType: 'execute-task', candidates, models, options: { random } }).ranking.length;
        }
      },
    },
    {
      name: `wilson-${size}`,
      block: () => {
        for (let call = 0; call < CALLS_PER_BLOCK; call += 1) {
          for (const id of candidates) {
            const state = models.get(id) as ChoiceState;
            sink += wilsonInterval(state.successes, state.successes + state.failures).lower;
          }
        }
      },
    },
  ];
});
/** CPU µs of one block: user + system time of this process, which a descheduled process does not accrue. */
function cpuMicros(block: () => void): number {
  const before = process.cpuUsage();
  block();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

const WARMUP_ROUNDS = 3;
const times = new Map(contestants.map((contestant) => [contestant.name, [] as number[]]));
for (let round = 0; round < WARMUP_ROUNDS + Number(values.rounds); round += 1) {
  for (let turn = 0; turn < contestants.length; turn += 1) {
    const contestant = contestants[(round + turn) % contestants.length] as (typeof contestants)[number];
    const micros = cpuMicros(contestant.block);
    if (round >= WARMUP_ROUNDS) times.get(contestant.name)?.push(micros);
  }
}
const perCall = (name: string) => median(times.get(name) ?? []) / CALLS_PER_BLOCK;
console.log('| candidates | decideChoice µs/call | Wilson x N µs/call | ratio |');
console.log('|---|---|---|---|');
for (const size of SIZES) {
  const decide = perCall(`decide-${size}`);
  const wilson = perCall(`wilson-${size}`);
  console.log(`| ${size} | ${decide.toFixed(2)} | ${wilson.toFixed(3)} | ${(decide / wilson).toFixed(1)} |`);
}
if (!Number.isFinite(sink)) throw new Error('unreachable: keeps the work from being optimized away');
