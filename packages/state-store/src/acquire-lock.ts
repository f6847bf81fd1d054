import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { WeftError } from "@weft/core-schema/runtime";
import type { StatePaths } from "./state-paths.js";

/** The content of `.state/orchestrator.lock`. */
export interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly started_at: string;
  readonly token: string;
}

export interface LockOptions {
  readonly pid?: number;
  readonly host?: string;
  readonly now?: () => Date;
  /** Is `pid` alive on this host? Default: `process.kill(pid, 0)`. */
  readonly isAlive?: (pid: number, startedAt?: string) => boolean;
}

/** A held lock. `takenOver` is the stale holder it replaced (the caller records a `lock_taken_over` event). */
export interface HeldLock {
  readonly info: LockInfo;
  readonly takenOver: LockInfo | null;
  /** The lock file existed but could not be parsed (a crash while it was written); it was replaced. */
  readonly replacedUnreadable: boolean;
  release(): void;
}

/** Start time (ms since epoch) of a local process, from /proc (Linux); null where unknown. */
function processStartMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[19]);
    const btime = /^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"));
    if (!btime || !Number.isFinite(ticks)) return null;
    return Number(btime[1]) * 1000 + (ticks * 1000) / 100;
  } catch {
    return null;
  }
}

/**
 * Is the lock holder alive? `kill(pid, 0)`, and on Linux also: the process with that pid started before the lock
 * was taken — a younger process means the pid was reused after the orchestrator died.
 */
function defaultIsAlive(pid: number, startedAt?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  const lockMs = startedAt === undefined ? Number.NaN : Date.parse(startedAt);
  const procMs = processStartMs(pid);
  if (procMs !== null && Number.isFinite(lockMs) && procMs > lockMs + 2000) return false;
  return true;
}

function parseLock(text: string): LockInfo | null {
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid === "number" && typeof v.host === "string" && typeof v.started_at === "string") {
      return { pid: v.pid, host: v.host, started_at: v.started_at, token: String(v.token ?? "") };
    }
  } catch {}
  return null;
}

function tryCreate(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readLock(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/**
 * Takes the single-writer lock of a `.state` directory (DESIGN §3): an exclusively created file holding pid,
 * host and start time. A lock of a dead pid on this host (or an unreadable lock file) is stale and taken over;
 * a live holder, or a holder on another host (whose liveness cannot be checked), → `STATE_LOCKED`.
 */
export function acquireLock(paths: StatePaths, options: LockOptions = {}): HeldLock {
  const info: LockInfo = {
    pid: options.pid ?? process.pid,
    host: options.host ?? hostname(),
    started_at: (options.now?.() ?? new Date()).toISOString(),
    token: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`,
  };
  const isAlive = options.isAlive ?? defaultIsAlive;
  const text = `${JSON.stringify(info)}\n`;
  let takenOver: LockInfo | null = null;
  let replacedUnreadable = false;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(paths.lock, text)) {
      // Another process taking over the same stale lock at the same time could have replaced ours: re-read.
      if (parseLock(readLock(paths.lock) ?? "")?.token !== info.token) continue;
      return {
        info,
        takenOver,
        replacedUnreadable,
        release() {
          if (parseLock(readLock(paths.lock) ?? "")?.token === info.token) unlinkSync(paths.lock);
        },
      };
    }
    const existingText = readLock(paths.lock);
    if (existingText === null) continue;
    const holder = parseLock(existingText);
    if (holder !== null) {
      if (holder.host !== info.host || isAlive(holder.pid, holder.started_at)) {
        const where = holder.host === info.host ? "" : " on another host";
        throw new WeftError(
          "STATE_LOCKED",
          `another weft orchestrator holds the .state lock: pid ${holder.pid} on ${holder.host}${where}, since ${holder.started_at}`,
          {
            hint:
              holder.host === info.host
                ? "wait for it to finish or stop it (weft status shows its progress)"
                : "if that host's orchestrator is gone, delete the lock file by hand",
            details: { file: paths.lock, pid: holder.pid, host: holder.host, started_at: holder.started_at },
          },
        );
      }
      takenOver = holder;
    } else {
      replacedUnreadable = true;
    }
    // Stale: move it aside atomically (only one contender's rename of this inode succeeds), then retry create.
    const aside = `${paths.lock}.stale-${info.pid}`;
    try {
      renameSync(paths.lock, aside);
      unlinkSync(aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
  throw new WeftError(
    "STATE_LOCKED",
    `could not take the lock ${paths.lock}: other processes keep taking it`,
    {
      details: { file: paths.lock },
    },
  );
}

/** Reads the current lock holder, if any (for `weft status`). */
export function readLockHolder(paths: StatePaths): LockInfo | null {
  const text = readLock(paths.lock);
  return text === null ? null : parseLock(text);
}
