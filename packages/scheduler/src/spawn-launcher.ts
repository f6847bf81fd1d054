import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { closeSync, existsSync, fstatSync, openSync, readSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { type Logger, silentLogger } from "@weft/core-schema";
import { runShellCommand, type ShellCommand, type ShellResult } from "./command-runner.js";
import { killProcessGroup } from "./process-group.js";

/**
 * Runs shell commands through a long-lived launcher process (`launcher/spawn-launcher.mjs`) instead of forking the
 * orchestrator for each (DESIGN §4, §6). `fork()` of a 100+ MB Node process blocks the event loop for milliseconds
 * per spawn; the launcher (~50 MB) pays less, beside the orchestrator. Same contract as {@link runShellCommand} —
 * `sh -c` in its own process group, env inherited + `cmd.env`, timeout/abort kill the group (TERM, then KILL; the
 * orchestrator does that itself by pid) — with one difference: the output goes straight to `cmd.logFile` (no pipe),
 * and the result's `output` is read back from that file when the command fails. Commands without a `logFile` are
 * run directly.
 */
export interface SpawnLauncher {
  run(cmd: ShellCommand): Promise<ShellResult>;
  /** Stops the launcher (closes its stdin). Commands still running keep running; their results are lost. */
  close(): void;
  /** False once the launcher process has exited; {@link SpawnLauncher.run} then spawns directly. */
  readonly alive: boolean;
  /** Commands started through this launcher that have not finished. */
  readonly running: number;
}

interface Pending {
  /** The launcher's id of the request. */
  readonly id: number;
  readonly cmd: ShellCommand & { readonly logFile: string };
  started: number;
  /** Size of the log when the launcher opened it: this command's output starts there. */
  logOffset: number;
  pid: number | null;
  timedOut: boolean;
  aborted: boolean;
  killRequested: boolean;
  killing: Promise<void> | null;
  timer: NodeJS.Timeout | null;
  onAbort: (() => void) | null;
  /** A launch-ahead request the launcher has not started yet (its timeout starts when it does). */
  ahead: boolean;
  resolve: (r: ShellResult) => void;
}

/**
 * The launcher script shipped with the package (`launcher/`, beside `src/` and `dist/`), found through the package's
 * own name so that the path also holds when this module is part of a bundle (the `weft` CLI bundles its packages).
 */
export const LAUNCHER_SCRIPT = join(
  dirname(createRequire(import.meta.url).resolve("@weft/scheduler/package.json")),
  "launcher",
  "spawn-launcher.mjs",
);

type LauncherMessage =
  | { t: "spawned"; id: number; pid: number; offset: number }
  | { t: "exit"; id: number; code: number | null; signal: NodeJS.Signals | null }
  | { t: "error"; id: number; message: string }
  | { t: "dropped"; id: number };

/** The bytes appended to `file` from `offset` on, at most the last `max`, as text ("" when unreadable). */
function readTail(file: string, offset: number, max: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const size = fstatSync(fd).size;
    const from = Math.max(offset, size - max);
    if (size <= from) return "";
    const buffer = Buffer.alloc(size - from);
    const n = readSync(fd, buffer, 0, buffer.length, from);
    return buffer.subarray(0, n).toString("utf8");
  } catch {
    return "";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Starts the launcher; null where it cannot be used (Windows, script missing) — the caller then spawns directly.
 * The environment the commands inherit is the orchestrator's `process.env` at this moment.
 */
export function startSpawnLauncher(options: { logger?: Logger; script?: string } = {}): SpawnLauncher | null {
  const logger = options.logger ?? silentLogger;
  const script = options.script ?? LAUNCHER_SCRIPT;
  if (process.platform === "win32" || !existsSync(script)) return null;
  let child: ChildProcessWithoutNullStreams;
  try {
    // Own process group: a Ctrl-C on the terminal is the orchestrator's to interpret, not the launcher's.
    // --single-threaded: no V8 helper threads, whose TLBs a fork() of a multi-threaded process must also flush when
    // it write-protects the pages; sequential spawns measured ~7% cheaper (docs/benchmarks.md), DESIGN §6.
    child = spawn(process.execPath, ["--max-old-space-size=64", "--single-threaded", script], {
      stdio: ["pipe", "pipe", "pipe"],
      env: process.env,
      detached: true,
    });
  } catch (error) {
    logger.warn({ err: (error as Error).message }, "spawn launcher unavailable; spawning directly");
    return null;
  }
  const pending = new Map<number, Pending>();
  /** Launcher ids of the running commands by pid (launch-ahead requests name their predecessor by pid). */
  const byPid = new Map<number, number>();
  let nextId = 1;
  let alive = true;
  let outQueue: string[] = [];
  let flushQueued = false;
  let stderr = "";
  type RefHandle = { ref?: () => void; unref?: () => void };
  const stdoutHandle = child.stdout as unknown as RefHandle;

  /** `outcome`: how it ended — an exit, a spawn error, or never started (a dropped launch-ahead request). */
  const settle = (
    p: Pending,
    outcome:
      | { readonly code: number | null; readonly signal: NodeJS.Signals | null }
      | { readonly spawnError: string }
      | { readonly notStarted: true },
  ): void => {
    pending.delete(p.id);
    if (p.pid !== null) byPid.delete(p.pid);
    if (pending.size === 0) stdoutHandle.unref?.();
    if (p.timer) clearTimeout(p.timer);
    if (p.onAbort) p.cmd.signal?.removeEventListener("abort", p.onAbort);
    // Anything of the group left behind (a background grandchild) goes with the task.
    if (p.pid !== null && (p.timedOut || p.aborted)) {
      try {
        process.kill(-p.pid, "SIGKILL");
      } catch {}
    }
    const exit = "code" in outcome ? outcome : null;
    // the output tail of a command that ran and failed; one that never started has none (its offset is unknown)
    const failed = p.pid !== null && exit?.code !== 0;
    p.resolve({
      exitCode: exit?.code ?? null,
      signal: exit?.signal ?? null,
      timedOut: p.timedOut,
      aborted: p.aborted,
      output: failed ? readTail(p.cmd.logFile, p.logOffset, p.cmd.tailBytes ?? 16_384) : "",
      durationMs: performance.now() - p.started,
      ...(exit === null ? outcome : {}),
    });
  };

  const startTimer = (p: Pending): void => {
    const ms = p.cmd.timeoutMs;
    if (ms === undefined || !Number.isFinite(ms)) return;
    p.timer = setTimeout(() => {
      p.timedOut = true;
      kill(p);
    }, ms);
  };

  const kill = (p: Pending): void => {
    if (p.pid === null) {
      p.killRequested = true;
      // a launch-ahead request still waiting is dropped instead (or killed when it turns out to have started)
      if (p.ahead) send({ cancel: p.id });
      return;
    }
    if (p.killing) return;
    p.killing = killProcessGroup(p.pid, p.cmd.killGraceMs ?? 5000);
  };

  const onLine = (line: string): void => {
    let m: LauncherMessage;
    try {
      m = JSON.parse(line) as LauncherMessage;
    } catch {
      logger.warn({ line: line.slice(0, 200) }, "unreadable message from the spawn launcher");
      return;
    }
    const p = pending.get(m.id);
    if (p === undefined) return;
    if (m.t === "spawned") {
      p.pid = m.pid;
      p.logOffset = m.offset;
      byPid.set(m.pid, m.id);
      if (p.ahead) {
        p.ahead = false;
        p.started = performance.now();
        startTimer(p);
      }
      p.cmd.onSpawn?.(m.pid);
      if (p.killRequested) kill(p);
    } else if (m.t === "exit") {
      settle(p, { code: m.code, signal: m.signal });
    } else if (m.t === "dropped") {
      settle(p, { notStarted: true });
    } else {
      settle(p, { spawnError: m.message });
    }
  };

  createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) => {
    if (line !== "") onLine(line);
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  child.stdin.on("error", () => {});
  const onGone = (reason: string): void => {
    if (!alive) return;
    alive = false;
    if (pending.size > 0) logger.error({ reason, stderr, running: pending.size }, "spawn launcher exited");
    // Commands it had started can no longer be observed: kill their groups and report process errors (retryable).
    for (const p of pending.values()) {
      if (p.pid !== null) {
        try {
          process.kill(-p.pid, "SIGKILL");
        } catch {}
      }
      settle(
        p,
        p.ahead
          ? { notStarted: true }
          : { spawnError: `the spawn launcher exited (${reason}) while the command ran` },
      );
    }
  };
  child.on("exit", (code, signal) => onGone(signal ?? `code ${code}`));
  child.on("error", (error) => onGone(error.message));
  // The launcher must not keep a finished orchestrator alive: its handles count only while a command is pending.
  child.unref();
  stdoutHandle.unref?.();
  (child.stderr as unknown as RefHandle).unref?.();
  (child.stdin as unknown as RefHandle).unref?.();

  const flush = (): void => {
    flushQueued = false;
    if (!alive || outQueue.length === 0) return;
    const text = `${outQueue.join("\n")}\n`;
    outQueue = [];
    child.stdin.write(text);
  };

  function send(message: object): void {
    outQueue.push(JSON.stringify(message));
    if (!flushQueued) {
      flushQueued = true;
      setImmediate(flush);
    }
  }

  return {
    get alive() {
      return alive;
    },
    get running() {
      return pending.size;
    },
    run(cmd) {
      const logFile = cmd.logFile;
      // (an already aborted signal: runShellCommand answers "aborted" without spawning)
      if (!alive || logFile === undefined || cmd.signal?.aborted) return runShellCommand(cmd);
      let after: number | undefined;
      if (cmd.afterPid !== undefined) {
        after = byPid.get(cmd.afterPid);
        // the predecessor is not (or no longer) a command of this launcher: nothing to wait for
        if (after === undefined) return runShellCommand(cmd);
      }
      const id = nextId++;
      const request = {
        id,
        command: cmd.command,
        cwd: cmd.cwd,
        env: cmd.env ?? null,
        log: logFile,
        ...(cmd.header !== undefined ? { header: cmd.header } : {}),
        ...(after !== undefined ? { after } : {}),
      };
      return new Promise<ShellResult>((resolve) => {
        const p: Pending = {
          id,
          cmd: { ...cmd, logFile },
          started: performance.now(),
          logOffset: 0,
          pid: null,
          timedOut: false,
          aborted: false,
          killRequested: false,
          killing: null,
          timer: null,
          onAbort: null,
          ahead: after !== undefined,
          resolve,
        };
        pending.set(id, p);
        stdoutHandle.ref?.();
        if (!p.ahead) startTimer(p);
        if (p.ahead && cmd.unlaunch) {
          const unlaunch = (): void => {
            if (p.ahead) send({ cancel: id });
          };
          if (cmd.unlaunch.aborted) unlaunch();
          else cmd.unlaunch.addEventListener("abort", unlaunch, { once: true });
        }
        if (cmd.signal) {
          p.onAbort = () => {
            p.aborted = true;
            kill(p);
          };
          cmd.signal.addEventListener("abort", p.onAbort, { once: true });
        }
        send(request);
      });
    },
    close() {
      if (!alive) return;
      flush();
      child.stdin.end();
    },
  };
}
