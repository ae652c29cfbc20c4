import { formatPercent, plural } from './format.js';
import type { Painter } from './output.js';
import { formatRanking, type RecentView, rankingFootnote } from './ranking-table.js';
import type { ModelVerdict, StoreReport, TaskReport } from './report-data.js';
import type { Cell } from './table.js';

function statusCell(task: TaskReport, model: ModelVerdict): Cell {
  if (model.demote) return { text: 'demote', style: 'red' };
  if (task.abTest?.challenger.modelId === model.modelId) return { text: 'A/B challenger', style: 'cyan' };
  if (model.rank === null) return { text: 'too few samples', style: 'dim' };
  return model.rank === 1 ? { text: 'incumbent', style: 'green' } : '';
}

/** Why a model is flagged for drift, in numbers: the recent rate against the one before the window. */
function driftNote(model: ModelVerdict): string | undefined {
  const recent = model.recent;
  if (recent === null || recent.drift === null || recent.successRate === null || recent.olderSuccessRate === null) {
    return undefined;
  }
  const direction = recent.drift === 'down' ? 'fell' : 'rose';
  return `${model.modelId} ${direction} to ${formatPercent(recent.successRate)} in the last ${plural(recent.windowDays, 'day')} (${plural(recent.samples, 'sample')}), from ${formatPercent(recent.olderSuccessRate)} before (p = ${recent.pValue?.toPrecision(2)}).`;
}

function taskLines(task: TaskReport, view: RecentView, paint: Painter): string[] {
  const heading = `${paint(['bold', 'underline'], task.taskType)}  ${paint('dim', `${plural(task.samples, 'outcome')}, ${plural(task.models.length, 'model')}`)}`;
  const table = formatRanking(task.models, paint, {
    rank: (model) => (model.rank === null ? '–' : String(model.rank)),
    status: { header: 'status', cell: (model) => statusCell(task, model) },
    recent: view,
  });
  const drifts = task.models.flatMap((model) => {
    const note = driftNote(model);
    return note === undefined ? [] : [`${paint(model.recent?.drift === 'down' ? 'red' : 'green', 'drift')}   ${note}`];
  });
  const notes = [
    ...(task.abTest === null ? [] : [`${paint('cyan', 'A/B')}     ${task.abTest.reason}`]),
    ...task.models.filter((model) => model.demote).map((model) => `${paint('red', 'demote')}  ${model.demotionReason}`),
    ...drifts,
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
  const view = (task: TaskReport): RecentView => ({
    rates: new Map(task.models.flatMap((model) => (model.recent === null ? [] : [[model.modelId, model.recent]]))),
    windowDays: report.windowDays,
    ranksOnWindow: report.ranksOnWindow,
  });
  return [
    ...report.tasks.flatMap((task, index) => [...(index === 0 ? [] : ['']), ...taskLines(task, view(task), paint)]),
    '',
    paint('dim', rankingFootnote(report)),
  ];
}
