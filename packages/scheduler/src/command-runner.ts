import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import type { AttemptResult, TaskDefinition, TaskRunContext, TaskRunner } from "@weft/core-schema";
import { killProcessGroup } from "./process-group.js";
import { substitutePlaceholders } from "./shell-quote.js";

/** One shell command to run (tasks, gates, bootstrap). */
export interface ShellCommand {
  readonly command: string;
  readonly cwd: string;
  /** Added to the inherited environment (DESIGN §7: command tasks inherit the orchestrator's env, as make would). */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly killGraceMs?: number;
  readonly signal?: AbortSignal;
  readonly log?: (chunk: string) => void;
  /**
   * The file `log` appends to. The spawn launcher gives it to the process as stdout/stderr (no pipe; `log` is not
   * called) and reads the output tail back from it when the command fails. Ignored when spawning directly.
   */
  readonly logFile?: string;
  readonly onSpawn?: (pid: number) => void;
  /** How many trailing bytes of output to keep for the result (default 16 KiB). */
  readonly tailBytes?: number;
  /** Appended to the log just before the command starts; `{at}` becomes the start time (ISO-8601). */
  readonly header?: string;
  /**
   * Launch ahead (spawn launcher only): start the moment the command with this pid — started by the same launcher —
   * exits with code 0; otherwise the command never starts and the result has `notStarted` (DESIGN §6).
   */
  readonly afterPid?: number;
  /** Launch ahead only: drop the command if it has not started yet (no effect once it has — unlike `signal`). */
  readonly unlaunch?: AbortSignal;
}

export interface ShellResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** The last `tailBytes` of combined stdout+stderr. */
  readonly output: string;
  readonly durationMs: number;
  /** Set when the process could not be spawned. */
  readonly spawnError?: string;
  /** A launch-ahead command that was dropped (its predecessor failed, or it was cancelled before it started). */
  readonly notStarted?: boolean;
}

const SHELL = process.platform === "win32" ? "cmd.exe" : "/bin/sh";

/**
 * Runs a command through `sh -c` in its own process group (detached), streaming output to `log`. On timeout or abort
 * the whole group gets SIGTERM, then SIGKILL after `killGraceMs` — grandchildren included (SPEC §4 Task-Timeout).
 *
 * Uses `child_process.spawn` directly rather than execa: one fewer layer per spawn on the hot path (DESIGN §6) and
 * full control of the process group; the behaviour execa would add (reject, buffering) is not wanted here.
 */
export function runShellCommand(cmd: ShellCommand): Promise<ShellResult> {
  const started = performance.now();
  const tailBytes = cmd.tailBytes ?? 16_384;
  return new Promise<ShellResult>((resolve) => {
    let tail = "";
    let timedOut = false;
    let aborted = false;
    let settled = false;
    let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    const env = cmd.env ? { ...process.env, ...cmd.env } : process.env;
    const args = process.platform === "win32" ? ["/d", "/s", "/c", cmd.command] : ["-c", cmd.command];
    // nothing starts: an already aborted signal, or launching ahead (only the spawn launcher can wait for an exit)
    if (cmd.signal?.aborted || cmd.afterPid !== undefined) {
      const aborted = cmd.signal?.aborted === true;
      resolve({
        exitCode: null,
        signal: null,
        timedOut: false,
        aborted,
        output: "",
        durationMs: 0,
        ...(aborted ? {} : { notStarted: true }),
      });
      return;
    }
    if (cmd.header !== undefined) cmd.log?.(cmd.header.replace("{at}", new Date().toISOString()));
    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      child = spawn(SHELL, args, { cwd: cmd.cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      // rejected before anything started (a NUL byte in the command or the environment): the command's error
      resolve({
        exitCode: null,
        signal: null,
        timedOut: false,
        aborted: false,
        output: "",
        durationMs: performance.now() - started,
        spawnError: (error as Error).message,
      });
      return;
    }
    const pid = child.pid;
    let killing: Promise<void> | null = null;
    const kill = (): void => {
      if (pid === undefined || killing || exitInfo) return;
      killing = killProcessGroup(pid, cmd.killGraceMs ?? 5000);
    };
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString("utf8");
      cmd.log?.(text);
      tail += text;
      if (tail.length > tailBytes * 2) tail = tail.slice(-tailBytes);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const timer =
      cmd.timeoutMs !== undefined && Number.isFinite(cmd.timeoutMs)
        ? setTimeout(() => {
            timedOut = true;
            kill();
          }, cmd.timeoutMs)
        : null;
    const onAbort = (): void => {
      aborted = true;
      kill();
    };
    cmd.signal?.addEventListener("abort", onAbort, { once: true });
    const finish = (spawnError?: string): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      cmd.signal?.removeEventListener("abort", onAbort);
      // Anything of the group left behind (a background grandchild) goes with the task.
      if (pid !== undefined && (timedOut || aborted)) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {}
      }
      const result: ShellResult = {
        exitCode: exitInfo?.code ?? null,
        signal: exitInfo?.signal ?? null,
        timedOut,
        aborted,
        output: tail.length > tailBytes ? tail.slice(-tailBytes) : tail,
        durationMs: performance.now() - started,
      };
      resolve(spawnError === undefined ? result : { ...result, spawnError });
    };
    child.on("error", (error) => finish(error.message));
    child.on("exit", (code, signal) => {
      exitInfo = { code, signal };
      // A grandchild may keep the pipes open; do not wait for it forever.
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, 200).unref();
    });
    child.on("close", () => finish());
    if (pid !== undefined) cmd.onSpawn?.(pid);
  });
}

/** Builds the attempt result of a shell run (AIDER-INT-003 contract, filled for command tasks too). */
export function attemptResultOf(r: ShellResult, timeoutMs: number | undefined): AttemptResult {
  const duration_seconds = Math.round(r.durationMs) / 1000;
  const meta = { tokens_used: 0, duration_seconds, exit_code: r.exitCode };
  const base = {
    files_modified: [],
    diff_summary: "",
    validation_status: "pending" as const,
    commit_message: "",
  };
  if (r.exitCode === 0 && !r.timedOut && !r.aborted)
    return { ...base, status: "success", error: null, metadata: meta };
  const error = r.timedOut
    ? {
        type: "timeout" as const,
        message: `timed out after ${(timeoutMs ?? 0) / 1000} s; process group killed`,
      }
    : r.aborted
      ? { type: "cancelled" as const, message: "the attempt was stopped (cancel or shutdown)" }
      : r.spawnError !== undefined
        ? { type: "process_error" as const, message: r.spawnError }
        : {
            type: "execution_failed" as const,
            message:
              r.signal !== null
                ? `killed by ${r.signal}`
                : `exited with code ${r.exitCode}${r.output.trim() ? `: ${lastLine(r.output)}` : ""}`,
          };
  return { ...base, status: "failure", error, metadata: meta };
}

function lastLine(text: string): string {
  const lines = text.trimEnd().split("\n");
  return (lines[lines.length - 1] ?? "").slice(0, 300);
}

/**
 * The runner of `lint`, `pytest` and `custom` tasks (DESIGN §4): `execution.command` with shell-quoted placeholders,
 * in `ctx.cwd`, own process group, env inherited + `WEFT_*`, output to the task log. `exec` runs the shell command
 * (default {@link runShellCommand}; the engine passes its spawn launcher's).
 */
export function createCommandRunner(
  exec: (cmd: ShellCommand) => Promise<ShellResult> = runShellCommand,
): TaskRunner {
  return {
    async run(task: TaskDefinition, ctx: TaskRunContext): Promise<AttemptResult> {
      return attemptResultOf(await exec(shellCommandFor(task, ctx)), ctx.timeoutMs);
    },
  };
}

/** The shell command a command task's attempt runs (placeholders shell-quoted, DESIGN §7). */
export function shellCommandFor(task: TaskDefinition, ctx: TaskRunContext): ShellCommand {
  const command = substitutePlaceholders(task.execution.command, {
    prompt: task.execution.prompt ?? task.description,
    task_id: task.task_id,
    workstream_id: task.workstream_id,
    worktree: ctx.worktree,
  });
  return {
    command,
    cwd: ctx.cwd,
    env: ctx.env,
    timeoutMs: ctx.timeoutMs,
    killGraceMs: ctx.killGraceMs,
    signal: ctx.signal,
    log: ctx.log,
    ...(ctx.logFile !== undefined ? { logFile: ctx.logFile } : {}),
    ...(ctx.onSpawn ? { onSpawn: ctx.onSpawn } : {}),
  };
}
