import { afterAll, describe, expect, test } from 'vitest';
import { openPostgresStore } from '../../src/backends/postgres/index.js';
import { openStore, silentLogger } from '../../src/index.js';
import { defineStoreContract } from '../contract/index.js';
import { dropSchemas, schemaFor, serversUnderTest } from '../support/postgres.js';

// The version matrix: the main server, PostgreSQL 12 and every server of MODEL_PERF_TEST_PG_URLS.
describe.each(await serversUnderTest())('PostgreSQL backend on $name', ({ url }) => {
  const schemas = new Set<string>();

  /** Each contract location (a new temp dir) gets its own schema; the same location reopens it. */
  function schemaOf(location: string): string {
    const schema = schemaFor(location);
    schemas.add(schema);
    return schema;
  }

  afterAll(() => dropSchemas(schemas, url));

  const vitest = { describe, test, expect };
  defineStoreContract(
    'PostgresStore',
    (dir) => openPostgresStore({ dir, url, schema: schemaOf(dir), logger: silentLogger }),
    vitest,
  );

  // What a runtime gets from openStore: the server's store inside the offline-first wrapper.
  defineStoreContract(
    'openStore({ backend: "postgres" })',
    (dir) => openStore({ dir, backend: 'postgres', url, postgresSchema: schemaOf(dir), logger: silentLogger }),
    vitest,
  );
});
