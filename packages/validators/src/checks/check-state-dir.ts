import { readdirSync } from "node:fs";
import { join } from "node:path";
import { CurrentState, STATE_SCHEMA_VERSION } from "@weft/core-schema";
import type { StateIssue } from "@weft/state-store";
import { type JsonText, parseJsonText } from "../internal/locate-json.js";
import { readLines } from "../internal/read-lines.js";
import type { RepoFiles } from "../internal/repo-files.js";
import type { CheckOutcome, Skipped, Violation } from "../validation-report.js";
import { scanEventLog } from "./check-event-log.js";

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

const INDEX_NAMES: readonly string[] = ["by_workstream.json", "by_status.json", "by_worker.json"];

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

/** Where in a JSON document a state-store message points (its own positions are per line or per file). */
function pointerOfMessage(message: string, file: string): (string | number)[] | undefined {
  const toPath = (dotted: string): (string | number)[] =>
    dotted.split(".").map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  let m = /^not a valid event: ([\w.]+):/.exec(message);
  if (m) return toPath(m[1]!);
  if (/^(seq gap|duplicated seq)/.test(message)) return ["seq"];
  if (/^hash chain broken/.test(message)) return ["prev_hash"];
  if (/^duplicated event_id/.test(message)) return ["event_id"];
  if (/^timestamp .* is earlier/.test(message)) return ["timestamp"];
  m = /schema: ([\w.]+):/.exec(message) ?? /^[\w.]+\.json: ([\w.]+):/.exec(message);
  if (m) return toPath(m[1]!);
  if (/ is stale: source_seq/.test(message)) return ["source_seq"];
  if (file.endsWith("current.json") && /^current\.json is at seq/.test(message)) return ["seq"];
  return undefined;
}

/**
 * @weft/state-store issues as violations: repo-relative file; whole-file issues (line 0) at 1:1 unless the message
 * names a field, which is then located; issues on a log line are located at the field they name (the lines are
 * read again only when there are such issues).
 */
async function violationsFromStateIssues(
  files: RepoFiles,
  issues: readonly StateIssue[],
  signal?: AbortSignal,
): Promise<Violation[]> {
  const out: Violation[] = [];
  const wantLines = new Map<string, Set<number>>();
  for (const i of issues) {
    if (i.line > 0 && i.file.endsWith(".jsonl") && pointerOfMessage(i.message, i.file)) {
      const set = wantLines.get(i.file) ?? new Set<number>();
      set.add(i.line);
      wantLines.set(i.file, set);
    }
  }
  const lineTexts = new Map<string, string>();
  for (const [file, lines] of wantLines) {
    const abs = files.abs(file);
    if (!files.isFile(abs)) continue;
    const last = Math.max(...lines);
    for await (const l of readLines(abs, signal)) {
      if (lines.has(l.line)) lineTexts.set(`${file}\u0000${l.line}`, l.text);
      if (l.line >= last) break;
    }
  }
  const docs = new Map<string, JsonText | null>();
  for (const i of issues) {
    const file = files.display(files.abs(i.file));
    let line = i.line > 0 ? i.line : 1;
    let column = i.line > 0 && i.column > 0 ? i.column : 1;
    const pointer = pointerOfMessage(i.message, i.file);
    if (pointer && i.line > 0 && i.file.endsWith(".jsonl")) {
      const text = lineTexts.get(`${i.file}\u0000${i.line}`);
      if (text !== undefined) column = parseJsonText(text).locate(pointer).column;
    } else if (pointer) {
      if (!docs.has(i.file)) {
        const text = files.readText(files.abs(i.file));
        docs.set(i.file, text === undefined ? null : parseJsonText(text));
      }
      const doc = docs.get(i.file);
      if (doc) ({ line, column } = doc.locate(pointer));
    }
    out.push({
      requirement: i.requirement,
      level: i.severity,
      file,
      line,
      column,
      message: i.message,
      fix: i.hint,
    });
  }
  return out;
}

/**
 * The `.state` directory (read only). @weft/state-store's `checkStateDir` (passed in as a promise: it runs in a
 * worker thread beside the other checks) covers STATE-OBS-001..006, AUDIT-001 and archive readability (AUDIT-002);
 * added here: SM-DEF-001..003 over the log and the snapshot's invariants, SCHEMA-VER-001 for every state document
 * and event line, and the archive layout (AUDIT-002).
 */
export async function checkStateDir(
  files: RepoFiles,
  storeIssues: Promise<readonly StateIssue[]>,
  signal?: AbortSignal,
): Promise<CheckOutcome> {
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
  const logPath = join(stateDir, "transitions.jsonl");
  const log = files.isFile(logPath) ? await scanEventLog(logPath, files.display(logPath), signal) : undefined;
  if (log) violations.push(...log.violations);

  const currentPath = join(stateDir, "current.json");
  const currentFile = files.display(currentPath);
  const currentText = files.readText(currentPath);
  if (currentText !== undefined) {
    const doc = parseJsonText(currentText);
    if (!doc.syntaxError) {
      const vv = versionViolation(doc, currentFile, STATE_DOC_VERSIONS["current.json"]!);
      if (vv) violations.push(vv);
      const parsed = CurrentState.safeParse(doc.value);
      if (parsed.success) violations.push(...snapshotInvariants(parsed.data, doc, currentFile));
    }
  }
  // SCHEMA-VER-001 for the other state documents.
  for (const name of entries) {
    const kind = INDEX_NAMES.includes(name)
      ? name
      : name === "metrics.json"
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
    if (doc.syntaxError) continue; // reported by STATE-OBS-005 / DAG-VIEW
    const vv = versionViolation(doc, files.display(path), STATE_DOC_VERSIONS[kind]!);
    if (vv) violations.push(vv);
  }
  // AUDIT-002: archive layout.
  violations.push(...checkArchiveLayout(files, join(stateDir, "archive", "transitions")));

  // STATE-OBS-002 as well: the log must be a regular file (the store's check cannot read a directory as a log).
  if (entries.includes("transitions.jsonl") && !files.isFile(logPath)) {
    violations.push({
      requirement: "STATE-OBS-002",
      level: "error",
      file: files.display(logPath),
      line: 1,
      column: 1,
      message: "transitions.jsonl is not a regular file",
      fix: "move it away and restore the log file from a backup (docs/operations/AUDIT_RETENTION.md)",
    });
  }
  violations.push(...(await violationsFromStateIssues(files, await storeIssues, signal)));

  const skipped: Skipped[] = [];
  if (!log) {
    for (const requirement of ["SM-DEF-001", "SM-DEF-002", "SM-DEF-003"])
      skipped.push({ requirement, reason: "no .state/transitions.jsonl yet" });
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

const ARCHIVE_NAME = /^transitions_(\d{4})(\d{2})(\d{2})(?:_\d{3})?\.jsonl\.gz$/;

/** AUDIT-002: `.state/archive/transitions/YYYY/MM/transitions_YYYYMMDD[_NNN].jsonl.gz`, nothing else. */
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
