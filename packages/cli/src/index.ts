/**
 * @weft/cli — weft's command handlers, argument parsing, rendering and the error → exit code mapping.
 *
 * Public API (stability):
 * - `runCli(argv, { io, cwd, services })` → exit code, stable since 0.1.0. Never throws; never touches `process`.
 * - `COMMANDS` (the built-in command specs), `CommandSpec`, `CommandOutput`, `CliIO`, `CliServices`, `ParsedArgs`,
 *   `FlagSpec`, experimental: the shape of commands may still grow.
 * - `exitCodeFor(error)`, `renderError(error, debug)`, stable since 0.1.0 (DESIGN §2 exit codes).
 *
 * Integration points: apps/weft's main.ts is the composition root that builds `CliIO` from `process` and passes
 * concrete services (logger, task runners). Commands call @weft/loader, @weft/dag, @weft/state-store,
 * @weft/validators, @weft/scheduler and @weft/adapter-aider.
 * Dependencies: every @weft library package.
 */
export type {
  CliIO,
  CliServices,
  CommandContext,
  CommandEntry,
  CommandOutput,
  CommandSpec,
  FlagSpec,
  ParsedArgs,
} from "./command-spec.js";
export { COMMANDS } from "./commands/index.js";
export { renderFullErrorCatalog } from "./internal/error-catalog.js";
export { flagBool, flagList, flagNumber, flagString, GLOBAL_FLAGS, parseArgs } from "./parse-args.js";
export { exitCodeFor, type RunCliOptions, renderError, runCli } from "./run-cli.js";
