/**
 * The simulated worlds of the regret suite: task types, candidate models with known true success rates
 * (possibly changing with the dispatch index t), costs, and the events whose reaction time is measured.
 * None of the policies reads these rates; they only decide outcomes and score regret.
 */

export interface WorldModel {
  modelId: string;
  /** True success rate at dispatch t (0-based index over the whole run). */
  rate: (t: number) => number;
  costUsd: number;
  /** The model becomes a candidate at this dispatch. Default 0. */
  appearsAt?: number;
  /** The outcomes of its first dispatches, whatever its rate: luck (or bad luck) at cold start. */
  scriptedStart?: readonly boolean[];
}

/** A change whose reaction time is measured: drop a degraded model, adopt a better one. */
export interface WorldEvent {
  kind: 'drop' | 'adopt';
  taskType: string;
  modelId: string;
  at: number;
}

export interface World {
  name: string;
  description: string;
  dispatches: number;
  /** Choices made from one shared state before their outcomes are recorded (runtimes at once). */
  concurrency: number;
  tasks: Readonly<Record<string, readonly WorldModel[]>>;
  events: readonly WorldEvent[];
  /** Set: the suite also runs choose() with minSuccessRate and reports spend. */
  minSuccessRate?: number;
  /** Part of the acceptance targets (the worlds); the others check robustness. */
  acceptance: boolean;
}

const constant = (rate: number) => (): number => rate;
const stepAt =
  (at: number, before: number, after: number) =>
  (t: number): number =>
    t < at ? before : after;

function model(modelId: string, rate: number | ((t: number) => number), costUsd = 0.01): WorldModel {
  return { modelId, rate: typeof rate === 'number' ? constant(rate) : rate, costUsd };
}

/** Eight models of one task type; the first listed is not the best, so candidate order is no hint. */
const EIGHT = [0.62, 0.78, 0.91, 0.55, 0.86, 0.7, 0.81, 0.4];
const eight = (prefix: string, rates: readonly number[] = EIGHT): WorldModel[] =>
  rates.map((rate, index) => model(`${prefix}${index + 1}`, rate, 0.002 * (index + 1)));

const REVIEW = [0.7, 0.9, 0.84, 0.65, 0.86, 0.5, 0.8, 0.3];

export const WORLDS: readonly World[] = [
  {
    name: 'stationary',
    description: 'two task types, eight models each, rates fixed',
    dispatches: 2000,
    concurrency: 1,
    tasks: { 'execute-task': eight('m'), 'review-diff': eight('m', REVIEW) },
    events: [],
    acceptance: true,
  },
  {
    name: 'lucky-cold-start',
    description: 'a 0.5 model succeeds its first 6 dispatches; the best is 0.85',
    dispatches: 1500,
    concurrency: 1,
    tasks: {
      'execute-task': [
        { ...model('lucky', 0.5), scriptedStart: [true, true, true, true, true, true] },
        model('m2', 0.78),
        model('m3', 0.85),
        model('m4', 0.72),
        model('m5', 0.8),
      ],
    },
    events: [],
    acceptance: true,
  },
  {
    name: 'degrading',
    description: 'on execute-task the best model (0.92) falls to 0.55 at t=1000; on review-diff it stays 0.9',
    dispatches: 2500,
    concurrency: 1,
    tasks: {
      'execute-task': [
        model('m1', 0.62),
        model('m2', 0.78),
        model('m3', stepAt(1000, 0.92, 0.55)),
        model('m4', 0.86),
        model('m5', 0.7),
        model('m6', 0.81),
      ],
      'review-diff': [model('m1', 0.7), model('m2', 0.84), model('m3', 0.9), model('m4', 0.8), model('m5', 0.6)],
    },
    events: [{ kind: 'drop', taskType: 'execute-task', modelId: 'm3', at: 1000 }],
    acceptance: true,
  },
  {
    name: '15-close',
    description: '15 models between 0.80 and 0.87',
    dispatches: 3000,
    concurrency: 1,
    tasks: { 'execute-task': Array.from({ length: 15 }, (_, i) => model(`m${i + 1}`, 0.8 + ((i * 7) % 15) * 0.005)) },
    events: [],
    acceptance: true,
  },
  {
    name: 'new-better-model',
    description: 'six models up to 0.82; a 0.92 model becomes a candidate at t=1000',
    dispatches: 2500,
    concurrency: 1,
    tasks: {
      'execute-task': [
        model('m1', 0.7),
        model('m2', 0.82),
        model('m3', 0.6),
        model('m4', 0.78),
        model('m5', 0.75),
        model('m6', 0.5),
        { ...model('new', 0.92), appearsAt: 1000 },
      ],
    },
    events: [{ kind: 'adopt', taskType: 'execute-task', modelId: 'new', at: 1000 }],
    acceptance: true,
  },
  {
    name: 'cost',
    description: 'two models near 0.9 (0.90 at $0.001, 0.91 at $0.010) and a 0.7 one; minSuccessRate 0.85',
    dispatches: 2000,
    concurrency: 1,
    tasks: {
      'execute-task': [model('premium', 0.91, 0.01), model('budget', 0.9, 0.001), model('weak', 0.7, 0.003)],
    },
    events: [],
    minSuccessRate: 0.85,
    acceptance: true,
  },
  {
    name: 'concurrent-3',
    description: 'a best model degrading at t=1200; 3 runtimes choose from one shared state per round',
    dispatches: 2400,
    concurrency: 3,
    tasks: {
      'execute-task': [
        model('m1', 0.62),
        model('m2', 0.78),
        model('m3', stepAt(1200, 0.92, 0.55)),
        model('m4', 0.86),
        model('m5', 0.7),
        model('m6', 0.81),
      ],
      'review-diff': eight('m', REVIEW),
    },
    events: [{ kind: 'drop', taskType: 'execute-task', modelId: 'm3', at: 1200 }],
    acceptance: true,
  },
  {
    name: 'gradual-drift',
    description: 'the best model slides from 0.92 to 0.6 between t=500 and t=2000',
    dispatches: 2500,
    concurrency: 1,
    tasks: {
      'execute-task': [
        model('m1', 0.7),
        model('m2', (t) => 0.92 - 0.32 * Math.min(1, Math.max(0, (t - 500) / 1500))),
        model('m3', 0.84),
        model('m4', 0.78),
      ],
    },
    events: [],
    acceptance: false,
  },
  {
    name: 'recovering',
    description: 'the best model (0.9) falls to 0.5 at t=800 and recovers at t=1600',
    dispatches: 2500,
    concurrency: 1,
    tasks: {
      'execute-task': [
        model('m1', 0.75),
        model('m2', (t) => (t >= 800 && t < 1600 ? 0.5 : 0.9)),
        model('m3', 0.82),
        model('m4', 0.6),
      ],
    },
    events: [{ kind: 'drop', taskType: 'execute-task', modelId: 'm2', at: 800 }],
    acceptance: false,
  },
  {
    name: 'unlucky-best',
    description: 'the best model (0.9) fails its first 3 dispatches; the others are 0.6-0.8',
    dispatches: 2000,
    concurrency: 1,
    tasks: {
      'execute-task': [
        model('m1', 0.8),
        { ...model('unlucky', 0.9), scriptedStart: [false, false, false] },
        model('m3', 0.7),
        model('m4', 0.6),
      ],
    },
    events: [{ kind: 'adopt', taskType: 'execute-task', modelId: 'unlucky', at: 0 }],
    acceptance: false,
  },
  {
    name: 'short-horizon',
    description: '200 dispatches over eight models',
    dispatches: 200,
    concurrency: 1,
    tasks: { 'execute-task': eight('m') },
    events: [],
    acceptance: false,
  },
  {
    name: 'low-rates',
    description: 'hard tasks: six models between 0.15 and 0.40',
    dispatches: 2000,
    concurrency: 1,
    tasks: { 'execute-task': [0.2, 0.35, 0.15, 0.4, 0.3, 0.25].map((rate, i) => model(`m${i + 1}`, rate)) },
    events: [],
    acceptance: false,
  },
  {
    name: 'all-equal',
    description: 'five models at 0.8: no choice has regret; checks nothing breaks',
    dispatches: 1000,
    concurrency: 1,
    tasks: { 'execute-task': [1, 2, 3, 4, 5].map((i) => model(`m${i}`, 0.8)) },
    events: [],
    acceptance: false,
  },
];

export function candidatesAt(world: World, taskType: string, t: number): string[] {
  return (world.tasks[taskType] ?? []).filter((m) => (m.appearsAt ?? 0) <= t).map((m) => m.modelId);
}

export function modelOf(world: World, taskType: string, modelId: string): WorldModel {
  const found = world.tasks[taskType]?.find((m) => m.modelId === modelId);
  if (found === undefined) throw new Error(`world ${world.name} has no model ${modelId} on ${taskType}`);
  return found;
}

export function bestRateAt(world: World, taskType: string, t: number): number {
  return Math.max(...candidatesAt(world, taskType, t).map((modelId) => modelOf(world, taskType, modelId).rate(t)));
}
