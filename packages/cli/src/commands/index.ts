import type { CommandSpec } from "../command-spec.js";
import { auditCommand } from "./audit.js";
import { cancelCommand } from "./cancel.js";
import { eventsCommand } from "./events.js";
import { explainCommand } from "./explain.js";
import { graphCommand } from "./graph.js";
import { initCommand } from "./init.js";
import { metricsCommand } from "./metrics.js";
import { migrateCommand } from "./migrate.js";
import { planCommand } from "./plan.js";
import { replayCommand } from "./replay.js";
import { retryCommand } from "./retry.js";
import { runCommand } from "./run.js";
import { serveCommand } from "./serve.js";
import { statusCommand } from "./status.js";
import { validateCommand } from "./validate.js";
import { versionCommand } from "./version.js";

/**
 * Every built-in command, in the order `weft --help` lists them. To add one: write `commands/<name>.ts` exporting
 * `<name>Command: CommandSpec` and add it here (one import line + one entry).
 */
export const COMMANDS: readonly CommandSpec[] = [
  initCommand,
  validateCommand,
  migrateCommand,
  planCommand,
  graphCommand,
  runCommand,
  retryCommand,
  cancelCommand,
  statusCommand,
  eventsCommand,
  replayCommand,
  explainCommand,
  auditCommand,
  metricsCommand,
  serveCommand,
  versionCommand,
];
