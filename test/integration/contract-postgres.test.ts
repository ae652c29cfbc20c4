import { afterAll, describe, expect, test } from 'vitest';
import { openPostgresStore } from '../../src/backends/postgres/index.js';
import { openStore, silentLogger } from '../../src/index.js';
import { defineStoreContract } from '../contract/index.js';
import { describePostgres, dropSchemas, schemaFor, TEST_PG_URL } from '../support/postgres.js';

const schemas = new Set<string>();

/** Each contract location (a new temp dir) gets its own schema; the same location reopens it. */
function schemaOf(location: string): string {
  const schema = schemaFor(location);
  schemas.add(schema);
  return schema;
}

describePostgres('PostgreSQL backend', () => {
  afterAll(() => dropSchemas(schemas));

  const vitest = { describe, test, expect };
  defineStoreContract(
    'PostgresStore',
    (dir) => openPostgresStore({ dir, url: TEST_PG_URL, schema: schemaOf(dir), logger: silentLogger }),
    vitest,
  );

  // What a runtime gets from openStore: the server's store inside the offline-first wrapper.
  defineStoreContract(
    'openStore({ backend: "postgres" })',
    (dir) =>
      openStore({ dir, backend: 'postgres', url: TEST_PG_URL, postgresSchema: schemaOf(dir), logger: silentLogger }),
    vitest,
  );
});
