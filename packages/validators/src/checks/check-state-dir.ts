import { readdirSync } from "node:fs";
import { join } from "node:path";
import {
  ByStatusIndex,
  ByWorkerIndex,
  ByWorkstreamIndex,
  CurrentState,
  STATE_SCHEMA_VERSION,
} from "@weft/core-schema";
import type { z } from "zod";
import { type JsonText, parseJsonText } from "../internal/locate-json.js";
import type { RepoFiles } from "../internal/repo-files.js";
import { violationsFromZod } from "../internal/zod-violations.js";
import type { CheckOutcome, Skipped, Violation } from "../validation-report.js";
import { type EventLogSummary, scanEventLog } from "./check-event-log.js";

const STATE_REQS = [
  "STATE-OBS-001",
  "STATE-OBS-002",
  "STATE-OBS-003",
  "STATE-OBS-004",
  "STATE-OBS-005",
  "STATE-OBS-006",
  "SM-DEF-001",
  "SM-DEF-002",
  "SM-DEF-003",
  "AUDIT-001",
];

const INDICES: readonly { readonly name: string; readonly schema: z.ZodType }[] = [
  { name: "by_workstream.json", schema: ByWorkstreamIndex },
  { name: "by_status.json", schema: ByStatusIndex },
  { name: "by_worker.json", schema: ByWorkerIndex },
];

/** Known schema versions of the `.state` JSON documents (SCHEMA-VER-001). */
const STATE_DOC_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  "current.json": [STATE_SCHEMA_VERSION],
  "by_workstream.json": [STATE_SCHEMA_VERSION],
  "by_status.json": [STATE_SCHEMA_VERSION],
  "by_worker.json": [STATE_SCHEMA_VERSION],
  "metrics.json": ["1.0.0"],
  dag: ["1.0.0"],
  execution_plan: ["1.0.0"],
};

function versionViolation(doc: JsonText, file: string, known: readonly string[]): Violation | undefined {
  const v = doc.value as Record<string, unknown> | undefined;
  if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
  if (typeof v.schema_version === "string" && known.includes(v.schema_version)) return undefined;
  const pos = doc.locate(["schema_version"]);
  return {
    requirement: "SCHEMA-VER-001",
    level: "error",
    file,
    line: pos.line,
    column: pos.column,
    message:
      v.schema_version === undefined
        ? "the document has no schema_version"
        : `unknown schema_version ${JSON.stringify(v.schema_version)}`,
    fix: `set "schema_version": "${known[known.length - 1]}" (known: ${known.join(", ")})`,
  };
}

function syntaxViolation(doc: JsonText, file: string, requirement: string): Violation {
  return {
    requirement,
    level: "error",
    file,
    line: doc.syntaxError!.position.line,
    column: doc.syntaxError!.position.column,
    message: `not valid JSON: ${doc.syntaxError!.message}`,
    fix: "weft writes this file atomically; a damaged copy is rebuilt from the log when `weft run` starts (state_corruption)",
  };
}

/**
 * The `.state` directory (read only): STATE-OBS-001..006, AUDIT-001 and SM-DEF-001..003 over the log,
 * SCHEMA-VER-001 for every state document, and the archive layout of AUDIT-002.
 */
export async function checkStateDir(files: RepoFiles, signal?: AbortSignal): Promise<CheckOutcome> {
  const stateDir = files.abs(".state");
  const violations: Violation[] = [];
  if (!files.isDir(stateDir)) {
    const skipped: Skipped[] = STATE_REQS.map((requirement) => ({
      requirement,
      reason: "no .state/ directory: nothing has run here yet",
    }));
    return { violations, skipped };
  }
  const entries = readdirSync(stateDir).sort();
  // STATE-OBS-003: no .tmp survives a completed update.
  for (const name of entries) {
    if (name.endsWith(".tmp")) {
      violations.push({
        requirement: "STATE-OBS-003",
        level: "error",
        file: files.display(join(stateDir, name)),
        line: 1,
        column: 1,
        message: `leftover temporary file ${name}: an update was interrupted before its rename`,
        fix: "start `weft run` (recovery removes it and rebuilds from the log) or delete it when no orchestrator runs",
      });
    }
  }

  // STATE-OBS-002/004, AUDIT-001, SM-DEF: the log.
  const logPath = join(stateDir, "transitions.jsonl");
  let log: EventLogSummary | undefined;
  if (files.isFile(logPath)) {
    log = await scanEventLog(logPath, files.display(logPath), signal);
    violations.push(...log.violations);
  }

  // STATE-OBS-001: the snapshot.
  const currentPath = join(stateDir, "current.json");
  const currentFile = files.display(currentPath);
  const currentText = files.readText(currentPath);
  let current: CurrentState | undefined;
  if (currentText === undefined) {
    violations.push({
      requirement: "STATE-OBS-001",
      level: "error",
      file: currentFile,
      line: 1,
      column: 1,
      message: ".state exists but current.json is missing",
      fix: "start `weft run` (recovery rebuilds current.json from transitions.jsonl)",
    });
  } else {
    const doc = parseJsonText(currentText);
    if (doc.syntaxError) violations.push(syntaxViolation(doc, currentFile, "STATE-OBS-001"));
    else {
      const vv = versionViolation(doc, currentFile, STATE_DOC_VERSIONS["current.json"]!);
      if (vv) violations.push(vv);
      const parsed = CurrentState.safeParse(doc.value);
      if (!parsed.success) {
        violations.push(
          ...violationsFromZod(
            parsed.error.issues.filter((i) => i.path[0] !== "schema_version"),
            doc,
            currentFile,
            "STATE-OBS-001",
          ),
        );
      } else {
        current = parsed.data;
        violations.push(...snapshotInvariants(current, doc, currentFile));
        if (log && log.lastSeq !== null) {
          const pos = doc.locate(["seq"]);
          if (log.lastSeq > current.seq) {
            violations.push({
              requirement: "STATE-OBS-003",
              level: "error",
              file: currentFile,
              line: pos.line,
              column: pos.column,
              message: `the snapshot reflects seq ${current.seq} but the log reaches seq ${log.lastSeq}: the snapshot is behind`,
              fix: "snapshots are written before the log; start `weft run` to rebuild the snapshot from the log",
            });
          } else if (current.seq > log.lastSeq) {
            const lastSeq = log.lastSeq;
            const covered = current.recent_events.some((e) => e.seq === lastSeq + 1);
            violations.push({
              requirement: "STATE-OBS-003",
              level: covered ? "warning" : "error",
              file: files.display(logPath),
              line: log.lines,
              column: 1,
              message: `the log ends at seq ${log.lastSeq} but the snapshot reflects seq ${current.seq}${covered ? " (the missing events are in recent_events)" : " and recent_events does not hold the missing events"}`,
              fix: covered
                ? "start `weft run`: recovery appends the missing events from recent_events"
                : "restore the missing log lines from the archive",
            });
          }
        }
      }
    }
  }

  // STATE-OBS-005/006: indices.
  for (const idx of INDICES) {
    const path = join(stateDir, idx.name);
    const file = files.display(path);
    const text = files.readText(path);
    if (text === undefined) {
      if (currentText !== undefined) {
        violations.push({
          requirement: "STATE-OBS-005",
          level: "error",
          file,
          line: 1,
          column: 1,
          message: `the index ${idx.name} is missing`,
          fix: "indices are regenerated with every snapshot; start `weft run` or `weft status` to regenerate them",
        });
      }
      continue;
    }
    const doc = parseJsonText(text);
    if (doc.syntaxError) {
      violations.push(syntaxViolation(doc, file, "STATE-OBS-005"));
      continue;
    }
    const vv = versionViolation(doc, file, STATE_DOC_VERSIONS[idx.name]!);
    if (vv) violations.push(vv);
    const parsed = idx.schema.safeParse(doc.value);
    if (!parsed.success) {
      violations.push(
        ...violationsFromZod(
          parsed.error.issues.filter((i) => i.path[0] !== "schema_version"),
          doc,
          file,
          "STATE-OBS-005",
        ),
      );
      continue;
    }
    if (!current) continue;
    const data = parsed.data as { source_seq: number; source_timestamp: string };
    if (data.source_seq !== current.seq || data.source_timestamp !== current.timestamp) {
      const pos = doc.locate(["source_seq"]);
      violations.push({
        requirement: "STATE-OBS-006",
        level: "warning",
        file,
        line: pos.line,
        column: pos.column,
        message: `stale index: built from seq ${data.source_seq} (${data.source_timestamp}), current.json is at seq ${current.seq} (${current.timestamp}); readers answer from current.json`,
        fix: "run `weft status` (or the next snapshot) to regenerate the indices",
      });
    } else if (idx.name === "by_status.json") {
      const statuses = (parsed.data as ByStatusIndex).statuses;
      for (const t of current.tasks) {
        if (!(statuses[t.status] ?? []).includes(t.task_id)) {
          const pos = doc.locate(["statuses", t.status]);
          violations.push({
            requirement: "STATE-OBS-006",
            level: "error",
            file,
            line: pos.line,
            column: pos.column,
            message: `the index claims seq ${current.seq} but does not list task ${t.task_id} under '${t.status}' as current.json does`,
            fix: "indices are derived from current.json; regenerate them (`weft status`)",
          });
          break;
        }
      }
    }
  }

  // SCHEMA-VER-001 for the other state documents.
  for (const name of entries) {
    const kind =
      name === "metrics.json"
        ? "metrics.json"
        : /^dag_.+\.json$/.test(name)
          ? "dag"
          : /^execution_plan_.+\.json$/.test(name)
            ? "execution_plan"
            : undefined;
    if (!kind) continue;
    const path = join(stateDir, name);
    const text = files.readText(path);
    if (text === undefined) continue;
    const doc = parseJsonText(text);
    if (doc.syntaxError) continue; // reported by DAG-VIEW for dag/plan documents
    const vv = versionViolation(doc, files.display(path), STATE_DOC_VERSIONS[kind]!);
    if (vv) violations.push(vv);
  }

  // AUDIT-002: archive layout.
  violations.push(...checkArchiveLayout(files, join(stateDir, "archive", "transitions")));

  const skipped: Skipped[] = [];
  if (!log) {
    for (const requirement of [
      "STATE-OBS-002",
      "STATE-OBS-004",
      "AUDIT-001",
      "SM-DEF-001",
      "SM-DEF-002",
      "SM-DEF-003",
    ]) {
      skipped.push({ requirement, reason: "no .state/transitions.jsonl yet" });
    }
  }
  return {
    violations,
    skipped,
    checked: { "event lines": log?.lines ?? 0, "state documents": currentText === undefined ? 0 : 1 },
  };
}

function snapshotInvariants(current: CurrentState, doc: JsonText, file: string): Violation[] {
  const out: Violation[] = [];
  const runningByWorker = new Map<string, string>();
  current.tasks.forEach((t, i) => {
    const here = (field: string): { line: number; column: number } => doc.locate(["tasks", i, field]);
    if (t.status === "running" && !t.assigned_worker) {
      const p = here("assigned_worker");
      out.push({
        requirement: "SM-DEF-001",
        level: "error",
        file,
        line: p.line,
        column: p.column,
        message: `task ${t.task_id} is running with no assigned_worker`,
        fix: "running ⇔ assigned_worker set (SPEC §4); recovery re-queues it (`weft run`)",
      });
    }
    if (t.status !== "running" && t.assigned_worker) {
      const p = here("assigned_worker");
      out.push({
        requirement: "SM-DEF-001",
        level: "error",
        file,
        line: p.line,
        column: p.column,
        message: `task ${t.task_id} is '${t.status}' but still has assigned_worker ${t.assigned_worker}`,
        fix: "only a running task has an assigned worker (SPEC §4 invariant)",
      });
    }
    if (t.status === "running" && t.assigned_worker) {
      const other = runningByWorker.get(t.assigned_worker);
      if (other) {
        const p = here("assigned_worker");
        out.push({
          requirement: "SM-DEF-003",
          level: "error",
          file,
          line: p.line,
          column: p.column,
          message: `worker ${t.assigned_worker} runs two tasks (${other} and ${t.task_id})`,
          fix: "one running task per worker (SPEC §4/§6)",
        });
      }
      runningByWorker.set(t.assigned_worker, t.task_id);
    }
    if (t.retry_count > t.max_retries) {
      const p = here("retry_count");
      out.push({
        requirement: "SM-DEF-001",
        level: "error",
        file,
        line: p.line,
        column: p.column,
        message: `task ${t.task_id} has retry_count ${t.retry_count} > max_retries ${t.max_retries}`,
        fix: "retry_count never exceeds max_retries (SPEC §4 retry counting)",
      });
    }
    const ts = [t.created_at, t.started_at, t.completed_at];
    if (ts[0] && ts[1] && ts[0] > ts[1]) {
      const p = here("started_at");
      out.push({
        requirement: "SM-DEF-001",
        level: "error",
        file,
        line: p.line,
        column: p.column,
        message: `task ${t.task_id} started (${ts[1]}) before it was created (${ts[0]})`,
        fix: "created_at ≤ started_at ≤ completed_at (SPEC §4)",
      });
    }
    if (ts[1] && ts[2] && ts[1] > ts[2]) {
      const p = here("completed_at");
      out.push({
        requirement: "SM-DEF-001",
        level: "error",
        file,
        line: p.line,
        column: p.column,
        message: `task ${t.task_id} completed (${ts[2]}) before it started (${ts[1]})`,
        fix: "created_at ≤ started_at ≤ completed_at (SPEC §4)",
      });
    }
  });
  return out;
}

const ARCHIVE_NAME = /^transitions_(\d{4})(\d{2})(\d{2})\.jsonl\.gz$/;

/** AUDIT-002: `.state/archive/transitions/YYYY/MM/transitions_YYYYMMDD.jsonl.gz`, nothing else. */
function checkArchiveLayout(files: RepoFiles, root: string): Violation[] {
  const out: Violation[] = [];
  if (!files.isDir(root)) return out;
  const walk = (dir: string, depth: number, parts: string[]): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (files.isDir(path)) {
        const ok = depth === 0 ? /^\d{4}$/.test(name) : depth === 1 ? /^\d{2}$/.test(name) : false;
        if (!ok) {
          out.push({
            requirement: "AUDIT-002",
            level: "error",
            file: files.display(path),
            line: 1,
            column: 1,
            message: `unexpected archive folder '${name}'`,
            fix: "archives live in .state/archive/transitions/YYYY/MM/ (`weft audit rotate` writes them)",
          });
          continue;
        }
        walk(path, depth + 1, [...parts, name]);
        continue;
      }
      const m = ARCHIVE_NAME.exec(name);
      if (depth !== 2 || !m || m[1] !== parts[0] || m[2] !== parts[1]) {
        out.push({
          requirement: "AUDIT-002",
          level: "error",
          file: files.display(path),
          line: 1,
          column: 1,
          message: `archive segment '${name}' is not where the layout puts it`,
          fix: "segments are .state/archive/transitions/YYYY/MM/transitions_YYYYMMDD.jsonl.gz; move it there or rotate with `weft audit rotate`",
        });
      }
    }
  };
  walk(root, 0, []);
  return out;
}
