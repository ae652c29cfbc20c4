import type { Command } from '../command.js';
import { createHelpCommand } from '../help.js';
import { abCommand } from './ab.js';
import { backupsCommand } from './backups.js';
import { chooseCommand } from './choose.js';
import { dashboardCommand } from './dashboard.js';
import { demoCommand } from './demo.js';
import { doctorCommand } from './doctor.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { importTableCommand } from './import-table.js';
import { migrateCommand } from './migrate.js';
import { rankCommand } from './rank.js';
import { recordCommand } from './record.js';
import { reportCommand } from './report.js';
import { trendCommand } from './trend.js';
import { verifyCommand } from './verify.js';

/** In the order of the help: look, query, write, move data, show, try. */
export const COMMANDS: readonly Command[] = [
  doctorCommand,
  chooseCommand,
  rankCommand,
  reportCommand,
  trendCommand,
  abCommand,
  verifyCommand,
  recordCommand,
  migrateCommand,
  exportCommand,
  importCommand,
  importTableCommand,
  backupsCommand,
  dashboardCommand,
  demoCommand,
  createHelpCommand(() => COMMANDS),
];
