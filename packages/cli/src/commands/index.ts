import type { CommandSpec } from "../command-spec.js";
import { cancelCommand } from "./cancel.js";
import { initCommand } from "./init.js";
import { migrateCommand } from "./migrate.js";
import { retryCommand } from "./retry.js";
import { runCommand } from "./run.js";
import { versionCommand } from "./version.js";

/**
 * Every built-in command, in the order `weft --help` lists them. To add one: write `commands/<name>.ts` exporting
 * `<name>Command: CommandSpec` and add it here (one import line + one entry).
 */
export const COMMANDS: readonly CommandSpec[] = [
  initCommand,
  migrateCommand,
  runCommand,
  retryCommand,
  cancelCommand,
  versionCommand,
];
