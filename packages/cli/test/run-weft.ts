import { silentLogger } from "@weft/core-schema";
import type { CliServices, CommandSpec } from "../src/index.js";
import { runCli } from "../src/index.js";

export interface WeftRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output (tests never patch globals). */
export async function runWeft(
  argv: readonly string[],
  options: {
    cwd: string;
    now?: () => Date;
    services?: Partial<CliServices>;
    commands?: readonly CommandSpec[];
  },
): Promise<WeftRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    cwd: options.cwd,
    services: { version: "0.0.0-test", logger: silentLogger, ...options.services },
    ...(options.commands ? { commands: options.commands } : {}),
    io: {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      isTTY: false,
      columns: 100,
      env: {},
      now: options.now ?? (() => new Date("2026-01-02T03:04:05.678Z")),
      signal: new AbortController().signal,
      hardSignal: new AbortController().signal,
    },
  });
  return { code, stdout, stderr };
}
