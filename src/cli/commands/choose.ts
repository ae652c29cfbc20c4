import { formatCost } from '../../dashboard/index.js';
import type { Choice, ChooseOptions } from '../../index.js';
import { definedOnly, FRACTION, NON_NEGATIVE, WHOLE_NUMBER } from '../arguments.js';
import type { Command } from '../command.js';
import { seededRandom } from '../demo/world.js';
import { formatCount, formatPercent } from '../format.js';
import type { Painter } from '../output.js';
import { rateCell } from '../ranking-table.js';
import { requireStoreDir, withLearner } from '../store-access.js';
import { type Cell, formatTable } from '../table.js';

function rateOrDash(rate: number | null): Cell {
  return rate === null ? { text: '–', style: 'dim' } : rateCell(rate);
}

/** The pick, then every candidate's P(best) and the numbers behind it, most likely best first. */
function formatChoice(choice: Choice, paint: Painter): string[] {
  const rows = choice.ranking.map((row): Cell[] => [
    row.modelId === choice.modelId ? { text: '→', style: 'green' } : '',
    row.modelId,
    formatPercent(row.pBest),
    formatCount(row.samples),
    rateOrDash(row.successRate),
    rateOrDash(row.recentRate),
    row.drift ? { text: 'drift', style: 'yellow' } : '',
    row.meanCost === null ? '–' : formatCost(row.meanCost),
  ]);
  const table = formatTable(
    [
      { header: '' },
      { header: 'model' },
      { header: 'P(best)', align: 'right' },
      { header: 'samples', align: 'right' },
      { header: 'success', align: 'right' },
      { header: 'recent', align: 'right' },
      { header: '' },
      { header: 'avg cost', align: 'right' },
    ],
    rows,
    paint,
  );
  return [`${paint('bold', choice.modelId)}${choice.explored ? ' (exploring)' : ''}: ${choice.reason}`, '', ...table];
}

export const chooseCommand: Command = {
  name: 'choose',
  summary: 'pick the model for the next dispatch of a task type, with each candidate’s P(best)',
  positionals: [{ name: 'taskType', required: true, description: 'the task type, e.g. execute-task' }],
  options: {
    candidates: { type: 'string', value: 'A,B,C', description: 'the models the runtime can dispatch now (required)' },
    'min-success-rate': {
      type: 'string',
      value: 'R',
      description: 'pick the cheapest candidate likely to succeed at least this often (0 to 1)',
    },
    'max-cost': {
      type: 'string',
      value: 'USD',
      description: 'leave out candidates that cost more per call on average',
    },
    federated: { type: 'boolean', description: 'add the aggregates imported from other installations as a prior' },
    seed: { type: 'string', value: 'N', description: 'a seed for the random draw, to make the pick repeatable' },
  },
  details: [
    'choose samples each candidate’s success rate from what the store knows (Thompson sampling, on recent',
    'outcomes when they drift from the long-run record), so a new model gets trials and several runtimes',
    'spread over the models that could be best. P(best) is the chance each candidate is the best one.',
  ],
  examples: [
    'model-perf choose execute-task --candidates gpt-4o,claude-opus,llama-70b',
    'model-perf choose execute-task --candidates gpt-4o,gpt-4o-mini --min-success-rate 0.85 --json',
  ],
  async run(context) {
    const { args, out } = context;
    const taskType = args.requiredPositional('taskType');
    const candidates = args.requiredList('candidates');
    const seed = args.number('seed', WHOLE_NUMBER);
    const options: ChooseOptions = definedOnly({
      minSuccessRate: args.number('min-success-rate', FRACTION),
      maxCostUsd: args.number('max-cost', NON_NEGATIVE),
      includeFederated: args.flag('federated'),
      random: seed === undefined ? undefined : seededRandom(seed),
    });
    requireStoreDir(context);
    const choice = await withLearner(context, (learner) => learner.choose(taskType, candidates, options));
    out.result({ taskType, ...choice }, () => formatChoice(choice, out.paint));
  },
};
