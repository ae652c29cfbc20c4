import { formatCost } from '../../dashboard/index.js';
import type { Outcome, OutcomeInput } from '../../index.js';
import { definedOnly } from '../arguments.js';
import type { Command } from '../command.js';
import { usageError } from '../errors.js';
import { formatCount, formatLatency } from '../format.js';
import { withStore } from '../store-access.js';

function describeOutcome(outcome: Outcome): string {
  const result = outcome.success ? 'success' : outcome.timeout ? 'failure (timeout)' : 'failure';
  // Only what was given: an outcome without tokens or cost must not read as "0 tokens, $0".
  const details = [
    ...(outcome.tokensUsed === null ? [] : [`${formatCount(outcome.tokensUsed)} tokens`]),
    ...(outcome.costUsd === null ? [] : [formatCost(outcome.costUsd)]),
    ...(outcome.latencyMs === null ? [] : [formatLatency(outcome.latencyMs)]),
  ];
  const given = details.length === 0 ? '' : ` (${details.join(', ')})`;
  return `Recorded a ${result} of ${outcome.modelId} on ${outcome.taskType}${given}, id ${outcome.id}.`;
}

export const recordCommand: Command = {
  name: 'record',
  summary: 'record the outcome of one dispatch',
  positionals: [],
  options: {
    task: { type: 'string', value: 'TYPE', description: 'the task type (required)' },
    model: { type: 'string', value: 'ID', description: 'the model (required)' },
    success: { type: 'boolean', description: 'the model succeeded (this or --failure is required)' },
    failure: { type: 'boolean', description: 'the model failed' },
    timeout: { type: 'boolean', description: 'the failure was a timeout' },
    tokens: { type: 'string', value: 'N', description: 'tokens used, a whole number' },
    cost: { type: 'string', value: 'USD', description: 'cost in US dollars' },
    latency: { type: 'string', value: 'MS', description: 'latency in milliseconds' },
    id: { type: 'string', value: 'ID', description: 'an id for the outcome: recording the same id again counts once' },
  },
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
    if (!args.flag('success') && !args.flag('failure')) throw usageError('Missing --success or --failure', 'record');
    const input: OutcomeInput = {
      taskType,
      modelId,
      success: args.flag('success'),
      timeout: args.flag('timeout'),
      ...definedOnly({
        tokensUsed: args.number('tokens'),
        costUsd: args.number('cost'),
        latencyMs: args.number('latency'),
        id: args.string('id'),
      }),
    };
    const outcome = await withStore(context, (store) => store.record(input));
    out.result({ outcome }, () => [describeOutcome(outcome)]);
  },
};
