import { plural } from './format.js';
import type { Painter } from './output.js';
import { formatRanking } from './ranking-table.js';
import type { ModelVerdict, StoreReport, TaskReport } from './report-data.js';
import type { Cell } from './table.js';

function statusCell(task: TaskReport, model: ModelVerdict): Cell {
  if (model.demote) return { text: 'demote', style: 'red' };
  if (task.abTest?.challenger.modelId === model.modelId) return { text: 'A/B challenger', style: 'cyan' };
  if (model.rank === null) return { text: 'too few samples', style: 'dim' };
  return model.rank === 1 ? { text: 'incumbent', style: 'green' } : '';
}

function taskLines(task: TaskReport, paint: Painter): string[] {
  const heading = `${paint(['bold', 'underline'], task.taskType)}  ${paint('dim', `${plural(task.samples, 'outcome')}, ${plural(task.models.length, 'model')}`)}`;
  const table = formatRanking(task.models, paint, {
    rank: (model) => (model.rank === null ? '–' : String(model.rank)),
    status: { header: 'status', cell: (model) => statusCell(task, model) },
  });
  const notes = [
    ...(task.abTest === null ? [] : [`${paint('cyan', 'A/B')}     ${task.abTest.reason}`]),
    ...task.models.filter((model) => model.demote).map((model) => `${paint('red', 'demote')}  ${model.demotionReason}`),
  ];
  return [heading, ...table, ...(notes.length > 0 ? ['', ...notes] : [])];
}

export function formatReport(report: StoreReport, paint: Painter): string[] {
  const skipped = report.skippedTaskTypes.map(
    (taskType) =>
      `${paint('yellow', 'skipped')} task type ${JSON.stringify(taskType)}: its stored name is not a valid task type`,
  );
  return [...taskReports(report, paint), ...(skipped.length > 0 ? ['', ...skipped] : [])];
}

function taskReports(report: StoreReport, paint: Painter): string[] {
  if (report.tasks.length === 0) {
    return [
      `The store in ${report.dir} has no outcomes yet: record some with \`model-perf record\`, or try \`model-perf demo\`.`,
    ];
  }
  return report.tasks.flatMap((task, index) => [...(index === 0 ? [] : ['']), ...taskLines(task, paint)]);
}
