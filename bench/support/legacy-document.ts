/** A legacy nested stats file of `pairs` task/model pairs, 50 models per task type, every field present. */
export function legacyDocument(pairs: number): Record<string, Record<string, Record<string, number | string>>> {
  const document: Record<string, Record<string, Record<string, number | string>>> = {};
  const modelsPerTask = 50;
  for (let index = 0; index < pairs; index += 1) {
    const taskType = `task-${Math.floor(index / modelsPerTask)}`;
    const successes = 1 + (index % 97);
    const failures = index % 13;
    document[taskType] ??= {};
    document[taskType][`model-${index % modelsPerTask}`] = {
      successes,
      failures,
      successRate: successes / (successes + failures),
      timeouts: index % 3,
      totalTokens: successes * 1_200,
      totalCost: successes * 0.04,
      lastUsed: '2026-05-01T10:00:00.000Z',
    };
  }
  return document;
}
