import { formatCost } from '../../dashboard/index.js';
import type { Outcome, OutcomeInput } from '../../index.js';
import { definedOnly, NON_NEGATIVE, WHOLE_NUMBER } from '../arguments.js';
import type { Command } from '../command.js';
import { usageError } from '../errors.js';
import { formatCount, formatLatency, formatTimestamp } from '../format.js';
import { withStore } from '../store-access.js';

function describeOutcome(outcome: Outcome): string {
  const result = outcome.success ? 'success' : outcome.timeout ? 'failure (timeout)' : 'failure';
  // Only what was given: an outcome without tokens or cost must not read as "0 tokens, $0".
  const details = [
    ...(outcome.tokensUsed === null ? [] : [`${formatCount(outcome.tokensUsed)} tokens`]),
    ...(outcome.costUsd === null ? [] : [formatCost(outcome.costUsd)]),
    ...(outcome.latencyMs === null ? [] : [formatLatency(outcome.latencyMs)]),
  ];
  const measured = details.length === 0 ? '' : ` (${details.join(', ')})`;
  return `a ${result} of ${outcome.modelId} on ${outcome.taskType}${measured}`;
}

export const recordCommand: Command = {
  name: 'record',
  summary: 'record the outcome of one dispatch',
  positionals: [],
  options: {
    task: { type: 'string', value: 'TYPE', description: 'the task type (required)' },
    model: { type: 'string', value: 'ID', description: 'the model (required)' },
    success: { type: 'boolean', description: 'the model succeeded (this, --failure or --timeout is required)' },
    failure: { type: 'boolean', description: 'the model failed' },
    timeout: { type: 'boolean', description: 'the dispatch timed out: a failure (--failure may be left out)' },
    tokens: {
      type: 'string',
      value: 'N',
      description: 'tokens used, a whole number (left out: not counted in averages)',
    },
    cost: { type: 'string', value: 'USD', description: 'cost in US dollars (left out: not counted in averages)' },
    latency: {
      type: 'string',
      value: 'MS',
      description: 'latency in milliseconds (left out: not counted in averages)',
    },
    id: { type: 'string', value: 'ID', description: 'an id for the outcome: recording the same id again counts once' },
  },
  details: [
    'A timeout is a failure: --timeout alone records a failed timeout, and --success with --timeout is refused.',
    'Recording an --id that is already stored changes nothing and says "already recorded".',
  ],
  examples: [
    'model-perf record --task execute-task --model gpt-4o --success --tokens 1200 --cost 0.04 --latency 950',
    'model-perf record --task plan-slice --model llama-70b --failure --timeout',
  ],
  async run(context) {
    const { args, out } = context;
    const taskType = args.string('task');
    const modelId = args.string('model');
    if (taskType === undefined) throw usageError('Missing --task', 'record');
    if (modelId === undefined) throw usageError('Missing --model', 'record');
    args.exclusive('success', 'failure');
    args.exclusive('success', 'timeout', 'a timeout is a failure');
    const timeout = args.flag('timeout');
    if (!args.flag('success') && !args.flag('failure') && !timeout) {
      throw usageError('Missing --success, --failure or --timeout', 'record');
    }
    // Given here rather than by the store: a stored outcome with another timestamp was there before.
    const timestamp = new Date().toISOString();
    const input: OutcomeInput = {
      taskType,
      modelId,
      success: args.flag('success'),
      timeout,
      timestamp,
      ...definedOnly({
        tokensUsed: args.number('tokens', WHOLE_NUMBER),
        costUsd: args.number('cost', NON_NEGATIVE),
        latencyMs: args.number('latency', NON_NEGATIVE),
        id: args.string('id'),
      }),
    };
    const outcome = await withStore(context, (store) => store.record(input));
    const alreadyRecorded = outcome.timestamp !== timestamp;
    out.result({ outcome, alreadyRecorded }, () => [
      alreadyRecorded
        ? `Already recorded: id ${outcome.id} is ${describeOutcome(outcome)}, recorded ${formatTimestamp(outcome.timestamp)} UTC. Nothing changed.`
        : `Recorded ${describeOutcome(outcome)}, id ${outcome.id}.`,
    ]);
  },
};
