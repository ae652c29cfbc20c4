import { CHOICE_TUNING, type ChoiceTuning } from '../../src/learner/choose-policy.js';
import { chooseEntry, mean, runWorld, thompsonEntry } from './suite.js';
import { WORLDS } from './worlds.js';

/** Tuning seeds: the reporting seeds (1-30) never enter the sweep. */
const TUNING_SEEDS = Array.from({ length: 40 }, (_, index) => 1001 + index);

const decayOf = (outcomes: number) => 1 - 1 / outcomes;
const memoryOf = (decay: number) => Math.round(1 / (1 - decay));

/**
 * One-at-a-time stages around CHOICE_TUNING: the memories (fast x slow), the drift threshold, and posterior
 * reshaping (factor x the outcomes it waits for). Each line prints choose/thompson per world on the tuning
 * seeds.
 */
function grid(): ChoiceTuning[] {
  const memories = [15, 30, 60].flatMap((fast) =>
    [2000, 5000, 20_000, 1e9].map((slow) => ({ ...CHOICE_TUNING, fastDecay: decayOf(fast), slowDecay: decayOf(slow) })),
  );
  const thresholds = [2.5, 3, 3.5, 4, 1e9].map((driftZ) => ({ ...CHOICE_TUNING, driftZ }));
  const reshaping = [1, 1.5, 2].flatMap((sharpen) =>
    [0, 30, 100].map((sharpenFrom) => ({ ...CHOICE_TUNING, sharpen, sharpenFrom })),
  );
  return [...memories, ...thresholds, ...reshaping];
}

/**
 * Score: the worst acceptance world's choose/thompson ratio over its target (lower is better), ties
 * broken by the mean ratio over every world, robustness worlds included. A short sweep uses 10 seeds.
 */
export async function sweep(short: boolean): Promise<void> {
  const seeds = short ? TUNING_SEEDS.slice(0, 10) : TUNING_SEEDS;
  const worlds = WORLDS.filter((world) => world.name !== 'all-equal');
  const thompson = new Map<string, number>();
  for (const world of worlds) {
    const runs = (await runWorld(world, seeds, [thompsonEntry()])).get('thompson') ?? [];
    thompson.set(world.name, mean(runs.map((run) => run.regret)));
  }
  const scored = [];
  for (const tuning of grid()) {
    const ratios: Record<string, number> = {};
    let worst = 0;
    for (const world of worlds) {
      const runs = (await runWorld(world, seeds, [chooseEntry('choose', tuning)])).get('choose') ?? [];
      const ratio = mean(runs.map((run) => run.regret)) / (thompson.get(world.name) ?? Number.NaN);
      ratios[world.name] = ratio;
      if (world.acceptance) worst = Math.max(worst, ratio / (world.name === 'degrading' ? 0.85 : 1.1));
    }
    const overall = mean(Object.values(ratios));
    const label = `fast ${memoryOf(tuning.fastDecay)} slow ${memoryOf(tuning.slowDecay)} z ${tuning.driftZ} sharpen ${tuning.sharpen} from ${tuning.sharpenFrom}`;
    const perWorld = Object.entries(ratios).map(([name, ratio]) => `${name} ${ratio.toFixed(2)}`);
    console.log(
      `${label.padEnd(52)} worst/target ${worst.toFixed(3)} mean ${overall.toFixed(3)}  ${perWorld.join(' ')}`,
    );
    scored.push({ label, worst, overall });
  }
  scored.sort((a, b) => a.worst - b.worst || a.overall - b.overall);
  console.log(`\nbest: ${scored[0]?.label}`);
}
