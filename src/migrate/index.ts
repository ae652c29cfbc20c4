export { LEGACY_FILE } from '../core/legacy-format.js';
export { BACKUPS_DIR } from '../core/store-files.js';
export type { LegacyAbsorption } from './absorb-legacy.js';
export { type ExportLegacyOptions, exportLegacy } from './export-legacy.js';
export {
  type ImportProgress,
  type ImportReport,
  type ImportTableOptions,
  importOutcomesTable,
} from './import-table.js';
export { type LegacyPlan, type MigrationPlan, planMigration } from './plan.js';
export { type PruneOptions, pruneBackups } from './prune-backups.js';
export { type PushOptions, type PushProgress, type PushReport, pushToStore } from './push-to-store.js';
