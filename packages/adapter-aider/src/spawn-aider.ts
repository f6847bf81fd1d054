/**
 * Runs Aider as its own process group (AIDER-INT-001, SPEC §4 timeouts): answer-no stdin, explicit environment,
 * wall-clock timeout, idle watchdog and cancellation, each stopping the whole group with SIGTERM then SIGKILL
 * after a grace period. Never SIGINT: Aider ignores it and goes on (AIDER.md).
 */
import { readdir, readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { execa } from "execa";

/** Why weft stopped the process (null: it ended by itself). */
export type StopReason = "timeout" | "idle_timeout" | "cancelled";

/** Options of {@link spawnAider}. */
export interface SpawnAiderOptions {
  readonly binary: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The complete environment (nothing is inherited). */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly killGraceMs: number;
  /** Stop when Aider prints nothing for this long (optional). */
  readonly idleTimeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Receives output as it arrives (stdout and stderr interleaved). */
  readonly onOutput?: ((chunk: string) => void) | undefined;
  /** Called with the process group leader's pid once it runs. */
  readonly onSpawn?: ((pid: number) => void) | undefined;
  /** Output kept for classification; beyond it the middle is dropped (default 4 MiB of text). */
  readonly maxOutputChars?: number | undefined;
}

/** What happened to the process. */
export interface SpawnAiderResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** stdout and stderr interleaved in arrival order. */
  readonly output: string;
  readonly stopReason: StopReason | null;
  /** Set when the process could not start (e.g. ENOENT: no aider on PATH). */
  readonly spawnError: string | null;
  readonly pid: number | null;
}

/** An endless `n\n` stream: every confirmation reads "no" and EOF never gives Aider its default "yes". */
function answerNo(): Readable {
  const chunk = "n\n".repeat(2048);
  return new Readable({
    read() {
      this.push(chunk);
    },
  });
}

/** Keeps the head and tail of a long output. */
function createOutputBuffer(max: number) {
  let head = "";
  let tail = "";
  let dropped = 0;
  return {
    push(chunk: string) {
      if (head.length < max / 4) {
        const take = Math.min(chunk.length, max / 4 - head.length);
        head += chunk.slice(0, take);
        chunk = chunk.slice(take);
      }
      tail += chunk;
      if (tail.length > (max * 3) / 4) {
        const cut = tail.length - (max * 3) / 4;
        dropped += cut;
        tail = tail.slice(cut);
      }
    },
    text() {
      return dropped > 0
        ? `${head}\n[… ${dropped} characters of output omitted by weft …]\n${tail}`
        : head + tail;
    },
  };
}

/** Signals a whole process group; false when no process of the group is left. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * True while a process of the group is alive. A killed member stays a zombie until reaped (by us for the leader,
 * by init for the rest, which may take a while), and `kill(-pgid, 0)` still succeeds for zombies: on Linux the
 * group's members are looked up in /proc and zombies do not count.
 */
async function groupAlive(pgid: number): Promise<boolean> {
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== "linux") return true;
  try {
    for (const entry of await readdir("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // state ppid pgrp …
      if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") return true;
    }
    return false;
  } catch {
    return true;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM to the group, then SIGKILL after `graceMs` if any member is still alive. */
async function stopGroup(pid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pid, "SIGTERM")) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(Math.max(1, Math.min(50, deadline - Date.now())));
    if (!(await groupAlive(pid))) return;
  }
  signalGroup(pid, "SIGKILL");
}

/**
 * Spawns Aider detached (its own process group), feeds `n\n` forever on stdin, collects the output and waits for
 * the group to end. On timeout, idle timeout or abort: SIGTERM to the group, SIGKILL after `killGraceMs`. After a
 * normal exit, members the leader left behind are stopped the same way. Never rejects for process failures.
 */
export async function spawnAider(options: SpawnAiderOptions): Promise<SpawnAiderResult> {
  const buffer = createOutputBuffer(options.maxOutputChars ?? 4 * 1024 * 1024);
  let stopReason: StopReason | null = null;
  let stopping: Promise<void> | null = null;

  if (options.signal?.aborted) {
    return { exitCode: null, signal: null, output: "", stopReason: "cancelled", spawnError: null, pid: null };
  }
  const subprocess = execa(options.binary, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    detached: true,
    cleanup: false,
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    buffer: false,
    reject: false,
    windowsHide: true,
  });
  const pid = subprocess.pid ?? null;

  const stop = (reason: StopReason) => {
    if (stopping !== null || pid === null) return;
    stopReason = reason;
    stopping = stopGroup(pid, options.killGraceMs);
  };
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = () => {
    if (options.idleTimeoutMs === undefined) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => stop("idle_timeout"), options.idleTimeoutMs);
  };
  const onData = (chunk: string) => {
    buffer.push(chunk);
    options.onOutput?.(chunk);
    armIdle();
  };
  subprocess.stdout?.setEncoding("utf8").on("data", onData);
  subprocess.stderr?.setEncoding("utf8").on("data", onData);

  const answers = answerNo();
  if (subprocess.stdin) {
    subprocess.stdin.on("error", () => {}); // EPIPE once Aider exits
    answers.pipe(subprocess.stdin);
  }

  const timer = setTimeout(() => stop("timeout"), options.timeoutMs);
  armIdle();
  const onAbort = () => {
    const reason = options.signal?.reason as { name?: string } | undefined;
    stop(reason?.name === "TimeoutError" ? "timeout" : "cancelled");
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (pid !== null) options.onSpawn?.(pid);

  // The leader's exit; members it left behind (holding our pipes or not) are stopped too.
  const exited = new Promise<void>((resolve) => subprocess.once("exit", () => resolve()));
  const result = await Promise.race([
    subprocess,
    exited.then(async () => {
      if (pid !== null && (await groupAlive(pid))) await stopGroup(pid, options.killGraceMs);
      return subprocess;
    }),
  ]);
  clearTimeout(timer);
  clearTimeout(idleTimer);
  options.signal?.removeEventListener("abort", onAbort);
  answers.unpipe();
  answers.destroy();
  if (stopping !== null) await stopping;
  if (pid !== null && (await groupAlive(pid))) await stopGroup(pid, options.killGraceMs);

  const spawnFailed = pid === null || (result.exitCode === undefined && result.signal === undefined);
  return {
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    output: buffer.text(),
    stopReason,
    spawnError: spawnFailed ? (result.shortMessage ?? result.message ?? "could not start") : null,
    pid,
  };
}
