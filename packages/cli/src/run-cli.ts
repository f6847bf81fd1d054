import { statSync } from "node:fs";
import { resolve } from "node:path";
import { type ErrorCode, isWeftError, WeftError } from "@weft/core-schema/runtime";
import type { CliIO, CliServices, CommandContext, CommandEntry, CommandSpec } from "./command-spec.js";
import { COMMANDS } from "./commands/index.js";
import { editDistance, GLOBAL_FLAGS, parseArgs } from "./parse-args.js";
import { renderCommandHelp, renderGlobalHelp } from "./render-help.js";

/** Error codes that mean "usage or configuration" (exit 2, DESIGN §2). Everything else that fails is exit 1. */
const EXIT_2_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "CLI_USAGE",
  "CLI_CONFIG",
  "STATE_LOCKED",
  "ID_INVALID",
  "LOADER_NOT_A_REPO",
  "LOADER_READ_FAILED",
  "SCHEMA_INVALID",
  "SCHEMA_UNKNOWN_VERSION",
  "SCHEMA_MIGRATION_UNSUPPORTED",
  "VALIDATE_CANNOT_RUN",
  "AIDER_NOT_FOUND",
]);

/** Maps an error to the CLI's exit code (only the CLI does this, STYLE.md "Errors"). */
export function exitCodeFor(error: unknown): 1 | 2 | 130 {
  if (!isWeftError(error)) return 2;
  if (error.code === "CLI_INTERRUPTED") return 130;
  return EXIT_2_CODES.has(error.code) ? 2 : 1;
}

/** One clear line (plus hint): what, where (file:line:col) and what to do. Stack only with --debug. */
export function renderError(error: unknown, debug: boolean): string {
  if (isWeftError(error)) {
    const d = error.details;
    const where =
      typeof d.file === "string"
        ? `${d.file}${typeof d.line === "number" ? `:${d.line}:${typeof d.column === "number" ? d.column : 1}` : ""}: `
        : "";
    const lines = [`weft: ${where}${error.message} [${error.code}]`];
    if (error.hint) lines.push(`  hint: ${error.hint}`);
    if (debug && error.stack) lines.push(error.stack);
    return `${lines.join("\n")}\n`;
  }
  const message = error instanceof Error ? error.message : String(error);
  const lines = [
    `weft: internal error: ${message}`,
    "  hint: this is a bug in weft; rerun with --debug and report the stack trace",
  ];
  if (debug && error instanceof Error && error.stack) lines.push(error.stack);
  return `${lines.join("\n")}\n`;
}

export interface RunCliOptions {
  readonly io: CliIO;
  /** The process's working directory; `--cwd` is resolved against it. */
  readonly cwd: string;
  readonly services: CliServices;
  /** Defaults to every built-in command (entries load their module on use; specs are used as they are). */
  readonly commands?: readonly (CommandEntry | CommandSpec)[];
}

function loadCommand(entry: CommandEntry | CommandSpec): Promise<CommandSpec> {
  return "run" in entry ? Promise.resolve(entry) : entry.load();
}

/** Runs `weft <argv>` and returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], options: RunCliOptions): Promise<number> {
  const { io, services } = options;
  const commands = options.commands ?? COMMANDS;
  const debug = argv.includes("--debug");
  const json = argv.includes("--json");
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === "--help" || first === "-h" || first === "help") {
      const topic = first === "help" ? rest[0] : undefined;
      const entry = topic ? commands.find((c) => c.name === topic) : undefined;
      io.stdout(
        entry
          ? renderCommandHelp(await loadCommand(entry), GLOBAL_FLAGS)
          : renderGlobalHelp(commands, services.version),
      );
      return 0;
    }
    if (first === "--version" || first === "-v" || first === "-V") {
      io.stdout(`${services.version}\n`);
      return 0;
    }
    const entry = commands.find((c) => c.name === first);
    if (!entry) {
      const guess = commands
        .map((c) => ({ c, d: editDistance(first, c.name) }))
        .sort((a, b) => a.d - b.d)
        .find((x) => x.d <= 2);
      throw new WeftError("CLI_USAGE", `unknown command '${first}'`, {
        hint: guess
          ? `did you mean 'weft ${guess.c.name}'? ('weft --help' lists the commands)`
          : "'weft --help' lists the commands",
      });
    }
    const command = await loadCommand(entry);
    const args = parseArgs(command.name, rest, command.flags);
    if (args.flags.help === true) {
      io.stdout(renderCommandHelp(command, GLOBAL_FLAGS));
      return 0;
    }
    const cwdFlag = typeof args.flags.cwd === "string" ? args.flags.cwd : undefined;
    const cwd = resolve(options.cwd, cwdFlag ?? ".");
    let isDir = false;
    try {
      isDir = statSync(cwd).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) {
      throw new WeftError("CLI_USAGE", `--cwd '${cwdFlag ?? cwd}' is not a directory`, {
        hint: "pass an existing directory",
      });
    }
    const ctx: CommandContext = { cwd, json: args.flags.json === true, debug, io, services };
    const out = await command.run(args, ctx);
    if (ctx.json && out.data !== undefined) io.stdout(`${JSON.stringify(out.data, null, 2)}\n`);
    else if (out.render) {
      const text = out.render();
      if (text !== "") io.stdout(text.endsWith("\n") ? text : `${text}\n`);
    }
    return out.exitCode;
  } catch (error) {
    io.stderr(renderError(error, debug));
    if (json && isWeftError(error)) {
      io.stdout(
        `${JSON.stringify({ error: { code: error.code, message: error.message, hint: error.hint ?? null, details: error.details } }, null, 2)}\n`,
      );
    }
    return exitCodeFor(error);
  }
}
