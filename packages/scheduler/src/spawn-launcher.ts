import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  openSync,
  readSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { type Logger, silentLogger } from "@weft/core-schema";
import { runShellCommand, type ShellCommand, type ShellResult } from "./command-runner.js";
import { killProcessGroup } from "./process-group.js";

/**
 * Runs shell commands through a long-lived launcher process instead of forking the orchestrator for each (DESIGN §4,
 * §6). `fork()` of a 100+ MB Node process blocks the event loop for milliseconds per spawn. The native launcher
 * (`launcher/weft-spawn.c`, built where a C compiler is available) starts commands with `posix_spawn` (vfork: no
 * page tables copied, no copy-on-write faults), at about half the machine CPU per command; elsewhere the Node
 * launcher (`launcher/spawn-launcher.mjs`, ~50 MB) pays the fork beside the orchestrator. Same contract as {@link runShellCommand} —
 * `sh -c` in its own process group, env inherited + `cmd.env`, timeout/abort kill the group (TERM, then KILL; the
 * orchestrator does that itself by pid) — with one difference: the output goes straight to `cmd.logFile` (no pipe),
 * and the result's `output` is read back from that file when the command fails. Commands without a `logFile` are
 * run directly.
 */
export interface SpawnLauncher {
  /** Which launcher runs the commands: the native one (posix_spawn) or the Node one. */
  readonly kind: LauncherKind;
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

/** `weft-spawn-<platform>-<arch>`, the native launcher scripts/build-native.mjs builds (it may not exist). */
export const NATIVE_LAUNCHER = join(
  dirname(LAUNCHER_SCRIPT),
  "bin",
  `weft-spawn-${process.platform}-${process.arch}`,
);
/** What the native launcher answers to `--version`: its protocol. Another answer (an old build) is not used. */
const NATIVE_PROTOCOL = "weft-spawn 1";

export type LauncherKind = "native" | "node";

const usable = new Map<string, boolean>();
/** Whether the native launcher at `path` runs here and speaks this protocol (asked once per process and path). */
export function nativeLauncherUsable(path: string = NATIVE_LAUNCHER): boolean {
  let ok = usable.get(path);
  if (ok === undefined) {
    ok = false;
    if (process.platform === "linux" && existsSync(path)) {
      // a packer that drops the executable bit (pnpm does, unless publishConfig.executableFiles names the file):
      // restore it where this user may; where not, the check below fails and the Node launcher is used
      try {
        accessSync(path, constants.X_OK);
      } catch {
        try {
          chmodSync(path, 0o755);
        } catch {}
      }
      const r = spawnSync(path, ["--version"], {
        encoding: "utf8",
        timeout: 5000,
        stdio: ["ignore", "pipe", "ignore"],
      });
      ok = r.status === 0 && r.stdout.trim() === NATIVE_PROTOCOL;
    }
    usable.set(path, ok);
  }
  return ok;
}

/**
 * A request in the native launcher's framing (launcher/weft-spawn.c): NUL-terminated fields. The caller has made
 * sure no field contains a NUL.
 */
function encodeNative(m: Request | { readonly cancel: number }): string {
  if ("cancel" in m) return `C\0${m.cancel}\0`;
  const env = m.env === null ? [] : Object.entries(m.env).filter(([, v]) => v !== undefined);
  const fields = ["S", m.id, m.after ?? "", m.cwd, m.log, m.header ?? "", m.command, env.length];
  for (const [k, v] of env) fields.push(`${k}=${v}`);
  return `${fields.join("\0")}\0`;
}

/**
 * What the native launcher cannot carry as Node would: a NUL byte anywhere in its framing, or an environment name
 * with "=" (it reads `KEY=VALUE` up to the first "=", so it would replace the inherited variable named by the part
 * before it, where Node adds the whole string as one more entry).
 */
const notForNative = (cmd: ShellCommand): boolean =>
  cmd.command.includes("\0") ||
  cmd.cwd.includes("\0") ||
  (cmd.logFile ?? "").includes("\0") ||
  (cmd.header ?? "").includes("\0") ||
  Object.entries(cmd.env ?? {}).some(
    ([k, v]) => k.includes("\0") || k.includes("=") || String(v).includes("\0"),
  );

interface Request {
  readonly id: number;
  readonly command: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>> | null;
  readonly log: string;
  readonly header?: string;
  readonly after?: number;
}

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

export interface SpawnLauncherOptions {
  readonly logger?: Logger;
  /** The Node launcher script (default {@link LAUNCHER_SCRIPT}). */
  readonly script?: string;
  /** The native launcher (default {@link NATIVE_LAUNCHER}); false: never use one. */
  readonly native?: string | false;
  /**
   * "node" uses the Node launcher even where the native one is usable; "auto" (default) the native one where it is
   * usable. Default: the `WEFT_LAUNCHER` environment variable, else "auto".
   */
  readonly prefer?: "auto" | "node";
}

/**
 * Starts the launcher — the native one where it is built and runs here, else the Node one; null where neither can
 * be used (Windows, files missing) — the caller then spawns directly. The environment the commands inherit is the
 * orchestrator's `process.env` at this moment.
 */
export function startSpawnLauncher(options: SpawnLauncherOptions = {}): SpawnLauncher | null {
  const logger = options.logger ?? silentLogger;
  const script = options.script ?? LAUNCHER_SCRIPT;
  const prefer = options.prefer ?? (process.env.WEFT_LAUNCHER === "node" ? "node" : "auto");
  const native = options.native ?? NATIVE_LAUNCHER;
  const nativePath = prefer !== "node" && native !== false && nativeLauncherUsable(native) ? native : null;
  const kind: LauncherKind | null =
    nativePath !== null ? "native" : process.platform !== "win32" && existsSync(script) ? "node" : null;
  if (kind === null) return null;
  let child: ChildProcessWithoutNullStreams;
  try {
    // Own process group: a Ctrl-C on the terminal is the orchestrator's to interpret, not the launcher's.
    // The Node launcher runs --single-threaded: no V8 helper threads, whose TLBs a fork() of a multi-threaded
    // process must also flush when it write-protects the pages; sequential spawns measured ~7% cheaper
    // (docs/benchmarks.md), DESIGN §6.
    const [file, args] =
      nativePath !== null
        ? [nativePath, []]
        : [process.execPath, ["--max-old-space-size=64", "--single-threaded", script]];
    child = spawn(file, args, { stdio: ["pipe", "pipe", "pipe"], env: process.env, detached: true });
  } catch (error) {
    logger.warn({ err: (error as Error).message }, "spawn launcher unavailable; spawning directly");
    return null;
  }
  logger.debug({ launcher: kind, pid: child.pid }, "spawn launcher started");
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
    const text = outQueue.join("");
    outQueue = [];
    child.stdin.write(text);
  };

  const encode =
    kind === "native"
      ? encodeNative
      : (message: Request | { cancel: number }) => `${JSON.stringify(message)}\n`;
  function send(message: Request | { cancel: number }): void {
    outQueue.push(encode(message));
    if (!flushQueued) {
      flushQueued = true;
      setImmediate(flush);
    }
  }

  return {
    kind,
    get alive() {
      return alive;
    },
    get running() {
      return pending.size;
    },
    run(cmd) {
      const logFile = cmd.logFile;
      // (an already aborted signal: runShellCommand answers "aborted" without spawning)
      // (a NUL cannot be framed for the native launcher, nor passed to exec: runShellCommand reports the error)
      // (an env name with "=": runShellCommand keeps Node's meaning)
      if (!alive || logFile === undefined || cmd.signal?.aborted || (kind === "native" && notForNative(cmd)))
        return runShellCommand(cmd);
      let after: number | undefined;
      if (cmd.afterPid !== undefined) {
        after = byPid.get(cmd.afterPid);
        // the predecessor is not (or no longer) a command of this launcher: nothing to wait for
        if (after === undefined) return runShellCommand(cmd);
      }
      const id = nextId++;
      const request: Request = {
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
