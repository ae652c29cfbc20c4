/**
 * The schema-qualified names of the store's tables. A schema cannot be a bound parameter, so it is
 * spliced into the SQL text: it is a checked lower-case identifier (isSchemaName), and quoted anyway.
 */
export interface Tables {
  schema: string;
  stats: string;
  outcomes: string;
  sources: string;
  baselines: string;
  federated: string;
  version: string;
}

export function tablesIn(schema: string): Tables {
  const quoted = `"${schema}"`;
  return {
    schema: quoted,
    stats: `${quoted}.model_stats`,
    outcomes: `${quoted}.model_outcomes`,
    sources: `${quoted}.imported_sources`,
    baselines: `${quoted}.model_baselines`,
    federated: `${quoted}.federated_stats`,
    version: `${quoted}.schema_version`,
  };
}
