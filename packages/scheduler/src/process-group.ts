import { readdirSync, readFileSync } from "node:fs";

/** True when a process with this pid exists and is not a zombie (exited, waiting to be reaped). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return processState(pid) !== "Z";
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * True when any process of the group `pgid` is alive. Zombies (exited, not yet reaped — e.g. orphans of a killed
 * orchestrator whose new parent reaps lazily) do not count: on Linux the group's members are looked up in /proc.
 */
export function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  if (process.platform !== "linux") return true;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return true;
  }
  for (const entry of entries) {
    const c = entry.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields: state, ppid, pgrp, …
    if (Number(fields[2]) === pgid && fields[0] !== "Z") return true;
  }
  return false;
}

/** Sends a signal to a whole process group; false when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Linux process state letter from /proc (R, S, D, T = stopped, Z = zombie…), or null when unknown. A stopped
 * process cannot heartbeat (Worker-Unresponsive detection for local workers).
 */
export function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    return stat.slice(close + 2, close + 3) || null;
  } catch {
    return null;
  }
}

/**
 * Kills a process group: SIGTERM, then SIGKILL after `graceMs` if anything of it is still alive (SPEC §4 timeout).
 * Resolves when the group is gone or SIGKILL was sent.
 */
export async function killProcessGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, "SIGTERM")) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, Math.min(25, graceMs)));
    if (!isGroupAlive(pgid)) return;
  }
  signalGroup(pgid, "SIGKILL");
}
