import { join } from "node:path";
import { isValidId, WeftError } from "@weft/core-schema/runtime";

/**
 * Every path under `.state/` (SPEC §1). This module is the ONLY place such paths are built: ids are validated
 * before they become file names (SPEC §1: `..`, `/`, spaces or NUL are errors, never paths).
 */
export interface StatePaths {
  readonly dir: string;
  /** STATE-OBS-001 */
  readonly current: string;
  readonly currentTmp: string;
  /** STATE-OBS-002 */
  readonly log: string;
  readonly lock: string;
  /** STATE-OBS-005 */
  readonly byWorkstream: string;
  readonly byStatus: string;
  readonly byWorker: string;
  readonly logsDir: string;
  readonly archiveDir: string;
  /** AUDIT-002: `.state/archive/transitions/YYYY/MM/transitions_YYYYMMDD.jsonl.gz` */
  readonly archiveTransitionsDir: string;
  readonly archiveLogsDir: string;
  /** Snapshots that failed to load are moved here, never deleted. */
  readonly quarantineDir: string;
}

/** The `.state` layout of a repo (`stateDir` is the `.state` directory itself). */
export function statePaths(stateDir: string): StatePaths {
  const archiveDir = join(stateDir, "archive");
  return {
    dir: stateDir,
    current: join(stateDir, "current.json"),
    currentTmp: join(stateDir, "current.json.tmp"),
    log: join(stateDir, "transitions.jsonl"),
    lock: join(stateDir, "orchestrator.lock"),
    byWorkstream: join(stateDir, "by_workstream.json"),
    byStatus: join(stateDir, "by_status.json"),
    byWorker: join(stateDir, "by_worker.json"),
    logsDir: join(stateDir, "logs"),
    archiveDir,
    archiveTransitionsDir: join(archiveDir, "transitions"),
    archiveLogsDir: join(archiveDir, "logs"),
    quarantineDir: join(stateDir, "quarantine"),
  };
}

/** The `.state` directory of a repo root. */
export function stateDirOf(repoRoot: string): string {
  return join(repoRoot, ".state");
}

function requireId(kind: string, id: string): string {
  if (!isValidId(id)) {
    throw new WeftError("ID_INVALID", `invalid ${kind} id ${JSON.stringify(id)}`, {
      hint: "ids must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$ (SPEC §1)",
      details: { id },
    });
  }
  return id;
}

/** `.state/logs/{task_id}.log` (the id is validated first). */
export function taskLogPath(paths: StatePaths, taskId: string): string {
  return join(paths.logsDir, `${requireId("task", taskId)}.log`);
}

/** `.state/archive/logs/YYYY/MM/{task_id}.log.gz` for a log archived at `day` (UTC, `YYYYMMDD`). */
export function archivedTaskLogPath(paths: StatePaths, taskId: string, day: string): string {
  return join(paths.archiveLogsDir, day.slice(0, 4), day.slice(4, 6), `${requireId("task", taskId)}.log.gz`);
}

/** `YYYYMMDD` of an ISO timestamp (UTC). */
export function utcDay(iso: string): string {
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

/**
 * The archive path of a closed segment of day `day` (`YYYYMMDD`, UTC). `part` > 1 names the extra segments of a
 * day rotated more than once (size rule): `transitions_YYYYMMDD_002.jsonl.gz` sorts after the day's first.
 */
export function archiveSegmentPath(paths: StatePaths, day: string, part = 1): string {
  if (!/^\d{8}$/.test(day)) throw new Error(`bad day ${day}`);
  const suffix = part > 1 ? `_${String(part).padStart(3, "0")}` : "";
  return join(
    paths.archiveTransitionsDir,
    day.slice(0, 4),
    day.slice(4, 6),
    `transitions_${day}${suffix}.jsonl.gz`,
  );
}

/** Matches an archive segment file name; group 1 = day, group 2 = part. */
export const ARCHIVE_SEGMENT_NAME = /^transitions_(\d{8})(?:_(\d{3}))?\.jsonl\.gz$/;
