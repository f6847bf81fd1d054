#!/usr/bin/env node
/**
 * weft — the installable CLI. The composition root: the only file that touches `process`, and the only place
 * concrete implementations are wired together (DESIGN §1).
 */
import { readFileSync } from "node:fs";
import { runCli } from "@weft/cli";
import { type Logger, silentLogger } from "@weft/core-schema/runtime";
import { createServices } from "./create-services.js";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};
const argv = process.argv.slice(2);
const level = argv.includes("--debug") ? "debug" : (process.env.WEFT_LOG_LEVEL ?? "silent");
// pino is loaded only when something will be logged: `weft status` should not pay for it.
let logger: Logger = silentLogger;
if (level !== "silent") {
  const { pino } = await import("pino");
  logger = pino({ level, base: { pid: process.pid } }, pino.destination(2));
}

const soft = new AbortController();
const hard = new AbortController();
let interrupts = 0;
process.on("SIGINT", () => {
  interrupts += 1;
  if (interrupts === 1) {
    process.stderr.write(
      "\nweft: interrupt — stopping scheduling, letting running tasks finish (Ctrl-C again to kill them)\n",
    );
    soft.abort(new Error("SIGINT"));
  } else {
    hard.abort(new Error("SIGINT twice"));
  }
});
process.on("SIGTERM", () => {
  soft.abort(new Error("SIGTERM"));
  hard.abort(new Error("SIGTERM"));
});

const code = await runCli(argv, {
  cwd: process.cwd(),
  services: createServices({ version: pkg.version, logger }),
  io: {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true && process.env.CI === undefined,
    columns: process.stdout.columns ?? 100,
    env: process.env,
    now: () => new Date(),
    signal: soft.signal,
    hardSignal: hard.signal,
  },
});
process.exitCode = code;
