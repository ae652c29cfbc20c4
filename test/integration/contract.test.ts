import { openJsonStore } from '../../src/backends/json/index.js';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { defineStoreContract } from '../contract/index.js';

defineStoreContract('SqliteStore', (dir) => openSqliteStore({ dir, logger: silentLogger }));
defineStoreContract('JsonStore', (dir) => openJsonStore({ dir, logger: silentLogger }));
