import { ModelPerfError } from '../../index.js';
import type { Command } from '../command.js';
import { readTextFile, requireReadableFile } from '../files.js';
import { plural } from '../format.js';
import { withLearner } from '../store-access.js';

function parseDocument(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelPerfError('MP_INVALID_IMPORT', `${file} is not JSON: ${reason}`, { file, cause: error });
  }
}

export const importCommand: Command = {
  name: 'import',
  summary: "take in another installation's `model-perf export` as federated priors",
  positionals: [{ name: 'file', required: true, description: 'a stats document written by `model-perf export`' }],
  options: {},
  details: [
    "The priors never change this store's own stats; `model-perf rank --federated` adds them to the ranking.",
    'Importing a newer export of the same installation replaces what it sent before.',
  ],
  examples: ['model-perf import team-a.stats.json', 'model-perf rank execute-task --federated'],
  async run(context) {
    const { args, out } = context;
    const file = args.requiredPositional('file');
    await requireReadableFile(file);
    const imported = await out.track('import', async (progress) => {
      progress.update(0, 2);
      const document = parseDocument(file, await readTextFile(file));
      progress.update(1, 2);
      const result = await withLearner(context, (learner) => learner.importStats(document));
      progress.update(2, 2);
      return result;
    });
    out.result({ file, ...imported }, () => [
      `Imported ${plural(imported.entries, 'entry', 'entries')} of ${imported.sourceId} from ${file} as federated priors.`,
    ]);
  },
};
