import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import {
  applyEvent,
  type EventDraft,
  type EventLine,
  isWeftError,
  type Logger,
  modelFromSnapshot,
  type RunRecord,
  type StateModel,
  silentLogger,
  snapshotFromModel,
  type TaskRecord,
  WeftError,
} from "@weft/core-schema";
import { acquireLock, type LockInfo, type LockOptions } from "./acquire-lock.js";
import { hashLine } from "./append-log.js";
import {
  DEFAULT_STATE_SETTINGS,
  StateStore,
  type StateStoreHooks,
  type StateStoreSettings,
} from "./create-state-store.js";
import { fsyncDirSync } from "./internal/durable-fs.js";
import { loadSnapshot } from "./load-snapshot.js";
import { parseEventLine } from "./read-log.js";
import { type RotateOptions, type RotateResult, rotateLog } from "./rotate-log.js";
import { scanHistory } from "./scan-history.js";
import { type StatePaths, statePaths } from "./state-paths.js";

export interface OpenStateStoreOptions {
  /** The `.state` directory (created if missing). */
  readonly stateDir: string;
  /** weft.config.json `state` (partial: defaults apply). */
  readonly settings?: Partial<StateStoreSettings>;
  readonly logger?: Logger;
  readonly now?: () => Date;
  /** Lock identity and liveness check (tests). */
  readonly lock?: LockOptions;
  readonly hooks?: StateStoreHooks;
  /**
   * Rotate closed days (AUDIT-002) while opening, after recovery, under the lock the store takes anyway
   * (`retention.rotate_max_mb`, `retention.task_log_days`). Omit to rotate only with `weft audit rotate`.
   */
  readonly autoRotate?: Pick<RotateOptions, "rotateMaxMb" | "taskLogDays">;
}

/** What recovery found and did (DESIGN §3). The scheduler re-queues `interruptedTasks`. */
export interface RecoveryReport {
  /** `current.json` was missing/corrupt/inconsistent and was rebuilt from the log (`state_corruption`, critical). */
  readonly rebuiltFromLog: boolean;
  readonly rebuildReason: string | null;
  /** Where an unusable snapshot was moved (never deleted). */
  readonly quarantinedSnapshot: string | null;
  /** Events present in the snapshot's `recent_events` but missing from the log, appended to it (STATE-OBS-003). */
  readonly appendedFromSnapshot: number;
  /** A torn last log line that was cut (its event re-appended from the snapshot when it had it). */
  readonly tornLineCut: { readonly line: number; readonly bytes: number } | null;
  /** Leftover `.tmp` files of an interrupted update that were removed. */
  readonly removedTmpFiles: readonly string[];
  /** Tasks that were `running` or `validating` at the crash (with every field the scheduler recorded). */
  readonly interruptedTasks: readonly TaskRecord[];
  /** The run recorded before this open (null on a fresh state). */
  readonly previousRun: RunRecord | null;
  /** A stale lock of a dead process that was taken over (`lock_taken_over`, warning). */
  readonly lockTakenOver: LockInfo | null;
  /** What automatic rotation archived (null when `autoRotate` was not asked for). */
  readonly rotation: RotateResult | null;
  /** Events this open recorded (`state_corruption`, `state_recovered`, `lock_taken_over`). */
  readonly events: readonly EventLine[];
}

export interface OpenedStateStore {
  readonly store: StateStore;
  readonly recovery: RecoveryReport;
}

function stateModelEqual(a: StateModel, b: StateModel): boolean {
  const sa = snapshotFromModel(a);
  const sb = snapshotFromModel(b);
  return isDeepStrictEqual(sa, sb);
}

function removeTmpFiles(paths: StatePaths): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(paths.dir)) {
    if (name.endsWith(".tmp")) {
      unlinkSync(join(paths.dir, name));
      removed.push(name);
    }
  }
  return removed;
}

function quarantine(paths: StatePaths, file: string, stamp: string): string {
  mkdirSync(paths.quarantineDir, { recursive: true });
  const base = file.slice(paths.dir.length + 1).replace(/[\\/]/g, "_");
  const target = join(paths.quarantineDir, `${base}.${stamp.replace(/[:.]/g, "-")}`);
  renameSync(file, target);
  fsyncDirSync(paths.dir);
  return target;
}

/**
 * Opens a `.state` directory for writing (the orchestrator's single writer), recovering from a crash first
 * (DESIGN §3, STATE-OBS-003):
 * 1. take the lock (live holder → `STATE_LOCKED`; stale → taken over, `lock_taken_over` warning);
 * 2. remove leftover `.tmp` files; replay the whole history (archives + live log), refusing a damaged line in the
 *    middle (`STATE_CORRUPT` with file:line) and cutting a torn last line;
 * 3. read `current.json`: missing/corrupt → rebuild from the log (`state_corruption`, critical; the bad file is
 *    quarantined); events in its `recent_events` the log lacks are appended (matched by `seq`);
 * 4. verify the log's replay equals the snapshot (otherwise the log wins: `state_corruption`);
 * 5. write a fresh snapshot and indices.
 */
export async function openStateStore(options: OpenStateStoreOptions): Promise<OpenedStateStore> {
  try {
    return await openUnwrapped(options);
  } catch (e) {
    if (isWeftError(e)) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new WeftError("STATE_IO", `cannot open the state in ${options.stateDir}: ${err.message}`, {
      hint: "check that the directory is writable and the disk is not full",
      details: { file: err.path ?? options.stateDir },
      cause: e,
    });
  }
}

async function openUnwrapped(options: OpenStateStoreOptions): Promise<OpenedStateStore> {
  const paths = statePaths(options.stateDir);
  const settings: StateStoreSettings = { ...DEFAULT_STATE_SETTINGS, ...options.settings };
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  mkdirSync(paths.dir, { recursive: true });
  mkdirSync(paths.logsDir, { recursive: true });
  const lock = acquireLock(paths, { ...options.lock, ...(options.now ? { now: options.now } : {}) });
  try {
    const stamp = now().toISOString();
    const removedTmpFiles = removeTmpFiles(paths);
    const keep = settings.recent_events_max;
    const scan = scanHistory(paths, keep);
    const model = scan.model;
    let lastLineText = scan.lastLineText;
    const recentTexts = scan.recentTexts;

    // Torn last line: cut it (durably) before anything is appended after it.
    if (scan.tornLine !== null || scan.completedLastLine) {
      const fd = openSync(paths.log, scan.tornLine !== null ? "r+" : "a");
      try {
        if (scan.tornLine !== null) ftruncateSync(fd, scan.liveValidBytes ?? 0);
        else writeSync(fd, "\n");
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }

    const loaded = loadSnapshot(paths);
    let rebuildReason: string | null = null;
    let quarantinedSnapshot: string | null = null;
    let appendedFromSnapshot = 0;
    let snapshotBehind = false;
    const toAppend: string[] = [];
    if (loaded.status === "ok") {
      const snap = loaded.snapshot;
      if (snap.seq > scan.lastSeq) {
        // STATE-OBS-003: a crash between rename and append; the snapshot carries the missing events.
        const missing = snap.recent_events.filter((e) => e.seq > scan.lastSeq).sort((a, b) => a.seq - b.seq);
        let expect = scan.lastSeq + 1;
        for (const e of missing) {
          const text = JSON.stringify(e);
          const p = parseEventLine(text);
          if (!p.ok || e.seq !== expect) break;
          if (e.prev_hash !== undefined && lastLineText !== null && e.prev_hash !== hashLine(lastLineText))
            break;
          applyEvent(model, JSON.parse(text) as EventLine);
          toAppend.push(text);
          lastLineText = text;
          recentTexts.push(text);
          expect += 1;
        }
        if (expect !== snap.seq + 1) {
          throw new WeftError(
            "STATE_CORRUPT",
            `the snapshot is at seq ${snap.seq} but ${paths.log} ends at seq ${scan.lastSeq} and recent_events cannot fill the gap (next usable seq ${expect})`,
            {
              hint: "restore transitions.jsonl from a backup, or run `weft audit verify` to see where the log stops",
              details: { file: paths.current, snapshot_seq: snap.seq, log_seq: scan.lastSeq },
            },
          );
        }
        appendedFromSnapshot = toAppend.length;
      } else if (snap.seq < scan.lastSeq) {
        snapshotBehind = true;
      }
      if (!snapshotBehind && !stateModelEqual(model, modelFromSnapshot(snap))) {
        rebuildReason = `current.json (seq ${snap.seq}) differs from the replay of the log; the log wins`;
        quarantinedSnapshot = quarantine(paths, paths.current, stamp);
      }
    } else if (loaded.status === "corrupt") {
      rebuildReason = `current.json is corrupt (${paths.current}:${loaded.line}:${loaded.column}: ${loaded.message})`;
      quarantinedSnapshot = quarantine(paths, paths.current, stamp);
    } else if (scan.lastSeq > 0) {
      rebuildReason = "current.json is missing";
    }

    let logHandle = await open(paths.log, "a");
    if (toAppend.length > 0) {
      await logHandle.writeFile(`${toAppend.join("\n")}\n`);
      await logHandle.datasync();
    }
    let rotation: RotateResult | null = null;
    if (options.autoRotate !== undefined) {
      // Rotation replaces transitions.jsonl: reopen the append handle on the new file afterwards.
      await logHandle.close();
      try {
        rotation = rotateLog(paths, { ...options.autoRotate, now, lockHeld: true });
      } finally {
        logHandle = await open(paths.log, "a");
      }
    }

    const interruptedTasks = [...model.tasks.values()].filter(
      (t) => t.status === "running" || t.status === "validating",
    );
    const previousRun = model.run;
    const store = new StateStore({
      paths,
      model,
      logHandle,
      lock,
      lastLineText,
      recentTexts,
      settings,
      logger,
      now,
      ...(options.hooks ? { hooks: options.hooks } : {}),
    });
    const drafts: EventDraft[] = [];
    if (lock.takenOver !== null || lock.replacedUnreadable) {
      drafts.push({
        event: "lock_taken_over",
        event_type: "system",
        severity: "warning",
        entity_type: "system",
        entity_id: "orchestrator",
        trigger: "stale_lock",
        metadata: lock.takenOver
          ? {
              previous_pid: lock.takenOver.pid,
              previous_host: lock.takenOver.host,
              previous_started_at: lock.takenOver.started_at,
            }
          : { unreadable_lock_file: true },
      });
    }
    if (rebuildReason !== null) {
      drafts.push({
        event: "state_corruption",
        event_type: "system",
        severity: "critical",
        entity_type: "system",
        entity_id: "state",
        trigger: "recovery",
        metadata: {
          error_type: "state_corruption",
          error_message: rebuildReason,
          file: paths.current,
          quarantined_to: quarantinedSnapshot,
          rebuilt_from_seq: model.seq,
        },
      });
    }
    if (appendedFromSnapshot > 0 || scan.tornLine !== null || snapshotBehind || removedTmpFiles.length > 0) {
      drafts.push({
        event: "state_recovered",
        event_type: "system",
        severity: "warning",
        entity_type: "system",
        entity_id: "state",
        trigger: "recovery",
        metadata: {
          appended_from_snapshot: appendedFromSnapshot,
          torn_line_cut: scan.tornLine ? { line: scan.tornLine.line, bytes: scan.tornLine.bytes } : null,
          snapshot_behind_log: snapshotBehind,
          removed_tmp_files: removedTmpFiles,
          interrupted_tasks: interruptedTasks.map((t) => t.task_id),
        },
      });
    }
    for (const d of drafts) logger.warn({ event: d.event, ...d.metadata }, "state recovery");
    const events = store.commit(drafts);
    await store.writeSnapshotNow();
    return {
      store,
      recovery: {
        rebuiltFromLog: rebuildReason !== null,
        rebuildReason,
        quarantinedSnapshot,
        appendedFromSnapshot,
        tornLineCut: scan.tornLine ? { line: scan.tornLine.line, bytes: scan.tornLine.bytes } : null,
        removedTmpFiles,
        interruptedTasks,
        previousRun,
        lockTakenOver: lock.takenOver,
        rotation,
        events,
      },
    };
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** True when `.state` exists and has a snapshot or a log. */
export function stateExists(stateDir: string): boolean {
  const p = statePaths(stateDir);
  return existsSync(p.current) || existsSync(p.log);
}
