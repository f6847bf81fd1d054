import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import type { ByWorkstreamIndex, CurrentState, RunRecord, TaskRecord } from "@weft/core-schema";
import { WeftError } from "@weft/core-schema/runtime";
import { type LockInfo, readLockHolder } from "./acquire-lock.js";
import { checkSnapshotShape, parseSnapshotFile } from "./read-snapshot.js";
import type { StatePaths } from "./state-paths.js";

export interface WorkstreamStatusLine {
  readonly workstream_id: string;
  readonly status: string;
  readonly total: number;
  readonly counts: Readonly<Record<string, number>>;
}

export interface RunningTask {
  readonly task_id: string;
  readonly workstream_id: string;
  readonly status: string;
  readonly worker: string | null;
  readonly started_at: string | null;
  readonly attempt: number;
}

export interface FailedTask {
  readonly task_id: string;
  readonly workstream_id: string;
  readonly error: string | null;
}

/** What `weft status` shows (data; the CLI renders it). */
export interface StatusReport {
  readonly state: "none" | "ok";
  readonly seq: number;
  readonly timestamp: string | null;
  readonly run: RunRecord | null;
  /** The orchestrator holding the lock, if any. */
  readonly lock: LockInfo | null;
  /** Whether that holder is alive (null: it runs on another host, so this host cannot tell). */
  readonly lock_alive: boolean | null;
  readonly totals: Readonly<Record<string, number>>;
  readonly tasks: number;
  readonly workstreams: readonly WorkstreamStatusLine[];
  readonly active: readonly RunningTask[];
  readonly failed: readonly FailedTask[];
  /** Whether `by_workstream.json` was current (STATE-OBS-006); if not, counts came from current.json. */
  readonly index: "fresh" | "stale" | "missing";
}

/** Reads an index and returns it only when it matches the snapshot's seq and timestamp (STATE-OBS-006). */
export function loadFreshIndex<T extends { source_seq: number; source_timestamp: string }>(
  file: string,
  snapshot: { seq: number; timestamp: string },
): { index: T | null; freshness: "fresh" | "stale" | "missing" } {
  let idx: T;
  try {
    idx = JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return { index: null, freshness: "missing" };
  }
  if (idx.source_seq !== snapshot.seq || idx.source_timestamp !== snapshot.timestamp) {
    return { index: null, freshness: "stale" };
  }
  return { index: idx, freshness: "fresh" };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function errorText(t: TaskRecord): string | null {
  const e = t.last_error as { type?: string; message?: string } | string | null;
  if (e === null || e === undefined) return null;
  if (typeof e === "string") return e;
  return `${e.type ?? "error"}: ${e.message ?? ""}`;
}

/**
 * `weft status` data: reads `.state` only, never executes anything (DESIGN §7). Fast on big states: current.json
 * is parsed without schema validation, and per-workstream counts come from `by_workstream.json` when it is fresh.
 */
export function readStatus(paths: StatePaths, options: { workstream?: string } = {}): StatusReport {
  const loaded = checkSnapshotShape(parseSnapshotFile(paths));
  const lock = readLockHolder(paths);
  const lockAlive = lock === null ? null : lock.host !== hostname() ? null : pidAlive(lock.pid);
  if (loaded.status === "missing") {
    return {
      state: "none",
      seq: 0,
      timestamp: null,
      run: null,
      lock,
      lock_alive: lockAlive,
      totals: {},
      tasks: 0,
      workstreams: [],
      active: [],
      failed: [],
      index: "missing",
    };
  }
  if (loaded.status === "corrupt") {
    throw new WeftError(
      "STATE_CORRUPT",
      `${paths.current}:${loaded.line}:${loaded.column}: ${loaded.message}`,
      {
        hint: "the next `weft run` rebuilds it from the log; `weft replay --at <now>` shows the state meanwhile",
        details: { file: paths.current, line: loaded.line, column: loaded.column },
      },
    );
  }
  const snap: CurrentState = loaded.snapshot;
  const ws = options.workstream;
  const { index, freshness } = loadFreshIndex<ByWorkstreamIndex>(paths.byWorkstream, snap);
  const totals: Record<string, number> = {};
  const lines: WorkstreamStatusLine[] = [];
  const active: RunningTask[] = [];
  const failed: FailedTask[] = [];
  let tasks = 0;
  for (const t of snap.tasks) {
    if (ws !== undefined && t.workstream_id !== ws) continue;
    tasks += 1;
    totals[t.status] = (totals[t.status] ?? 0) + 1;
    if (t.status === "running" || t.status === "validating" || t.status === "retrying") {
      active.push({
        task_id: t.task_id,
        workstream_id: t.workstream_id,
        status: t.status,
        worker: t.assigned_worker,
        started_at: t.started_at,
        attempt: t.attempt,
      });
    } else if (t.status === "failed") {
      failed.push({ task_id: t.task_id, workstream_id: t.workstream_id, error: errorText(t) });
    }
  }
  if (index !== null) {
    for (const [id, w] of Object.entries(index.workstreams)) {
      if (ws !== undefined && id !== ws) continue;
      lines.push({ workstream_id: id, status: w.status, total: w.tasks.length, counts: w.counts });
    }
  } else {
    const byWs = new Map<string, { status: string; total: number; counts: Record<string, number> }>();
    for (const w of snap.workstreams) byWs.set(w.workstream_id, { status: w.status, total: 0, counts: {} });
    for (const t of snap.tasks) {
      let e = byWs.get(t.workstream_id);
      if (e === undefined) {
        e = { status: "unknown", total: 0, counts: {} };
        byWs.set(t.workstream_id, e);
      }
      e.total += 1;
      e.counts[t.status] = (e.counts[t.status] ?? 0) + 1;
    }
    for (const [id, w] of byWs) if (ws === undefined || id === ws) lines.push({ workstream_id: id, ...w });
  }
  return {
    state: "ok",
    seq: snap.seq,
    timestamp: snap.timestamp,
    run: snap.run,
    lock,
    lock_alive: lockAlive,
    totals,
    tasks,
    workstreams: lines,
    active,
    failed,
    index: freshness,
  };
}
