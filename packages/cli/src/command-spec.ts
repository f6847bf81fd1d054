import type { Logger } from "@weft/core-schema";

/** A flag a command accepts. `list` flags may repeat (`--workstream a --workstream b`). */
export interface FlagSpec {
  readonly name: string;
  readonly type: "boolean" | "string" | "number" | "list";
  readonly short?: string;
  readonly description: string;
  /** Placeholder shown in help, e.g. `<ws>`. */
  readonly value?: string;
}

/** Parsed command line: positionals after the command name, and flags by name. */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly flags: Readonly<Record<string, string | boolean | number | readonly string[] | undefined>>;
}

/** Where a command writes, what it reads from its environment. Injected (STYLE: tests never patch globals). */
export interface CliIO {
  /** The command's result (stdout). */
  readonly stdout: (text: string) => void;
  /** Progress and errors for humans (stderr). */
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
  readonly columns: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  /** Aborted on SIGINT (first); `hardSignal` on the second SIGINT. */
  readonly signal: AbortSignal;
  readonly hardSignal: AbortSignal;
}

/**
 * Concrete implementations the composition root (apps/weft) provides. Commands that need a capability that was
 * not wired fail with a clear error. Members are added as packages land; all optional.
 */
export interface CliServices {
  readonly version: string;
  readonly logger: Logger;
  /** Extra named factories (e.g. task runners) wired by apps/weft; see each command's docs. */
  readonly [name: string]: unknown;
}

export interface CommandContext {
  /** Absolute working directory (`--cwd`, default: process cwd). */
  readonly cwd: string;
  readonly json: boolean;
  readonly debug: boolean;
  readonly io: CliIO;
  readonly services: CliServices;
}

/**
 * What a handler returns (STYLE: handlers return data, a render function turns it into text). With `--json`
 * the CLI prints `data` as JSON; otherwise `render()`. Streaming commands write through `ctx.io` themselves
 * and return neither.
 */
export interface CommandOutput {
  readonly exitCode: 0 | 1 | 2 | 130;
  readonly data?: unknown;
  readonly render?: () => string;
}

export interface CommandSpec {
  /** The command word (`status`, `validate`, `audit`…). Sub-commands are positionals. */
  readonly name: string;
  readonly summary: string;
  /** Usage lines shown by `--help`, without the leading `weft `. */
  readonly usage: readonly string[];
  readonly flags: readonly FlagSpec[];
  /** Free text appended to `--help` (examples, exit codes). */
  readonly details?: string;
  run(args: ParsedArgs, ctx: CommandContext): Promise<CommandOutput>;
}

/** A command as listed in `weft --help`: its name and summary, and its module loaded only when it runs. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<CommandSpec>;
}
