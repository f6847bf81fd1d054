import type { EventLine, TaskRecord } from "@weft/core-schema";
import { loadSnapshot } from "./load-snapshot.js";
import { queryEvents } from "./query-events.js";
import type { StatePaths } from "./state-paths.js";
import { readTaskLog, splitTaskLog } from "./task-log.js";

/** One attempt of a task as the log tells it. */
export interface AttemptSummary {
  readonly attempt: number;
  readonly started_at: string;
  readonly worker: string | null;
  /** Where the attempt ended (`completed`, `failed`, `retrying`, `queued` after a restart…), null if still going. */
  readonly outcome: string | null;
  readonly ended_at: string | null;
  readonly trigger: string | null;
  readonly duration_seconds: number | null;
  readonly exit_code: number | null;
  readonly error: { readonly type: string; readonly message: string } | null;
  /** PIPELINE: the fix number when this attempt was an AI fix for a failed gate. */
  readonly fix_attempt: number | null;
  /** This attempt's own tokens and cost (not the task's running totals); null when not recorded. */
  readonly tokens_used: number | null;
  readonly cost_usd: number | null;
  /** The runner's result contract (AIDER-INT-003) as recorded, for `aider` tasks; null otherwise. */
  readonly result: {
    readonly files_modified: readonly string[];
    readonly diff_summary: string;
    readonly commit_message: string;
    readonly model: string | null;
    readonly aider_version: string | null;
    readonly metadata: Readonly<Record<string, unknown>>;
  } | null;
}

/** A gate (validation rule) result recorded for the task. */
export interface GateResult {
  readonly seq: number;
  readonly timestamp: string;
  readonly gate: string;
  readonly passed: boolean;
  readonly message: string | null;
}

/** `weft explain <task_id>`: why a task is where it is (AUDIT-001). */
export interface TaskExplanation {
  readonly task_id: string;
  readonly found: boolean;
  readonly record: TaskRecord | null;
  readonly status: string | null;
  readonly attempts: readonly AttemptSummary[];
  readonly gates: readonly GateResult[];
  /** Warning-or-worse events about the task (failures, retries, overrides). */
  readonly problems: readonly EventLine[];
  readonly events: number;
  readonly log: { readonly file: string; readonly attempt: number; readonly tail: readonly string[] } | null;
  /** One sentence: the reason in plain words. */
  readonly summary: string;
}

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}
function num(v: unknown): number | null {
  return typeof v === "number" ? v : null;
}

function resultOf(v: unknown): AttemptSummary["result"] {
  if (typeof v !== "object" || v === null) return null;
  const r = v as Record<string, unknown>;
  const meta =
    typeof r.metadata === "object" && r.metadata !== null ? (r.metadata as Record<string, unknown>) : {};
  return {
    files_modified: Array.isArray(r.files_modified)
      ? r.files_modified.filter((f) => typeof f === "string")
      : [],
    diff_summary: str(r.diff_summary) ?? "",
    commit_message: str(r.commit_message) ?? "",
    model: str(meta.model),
    aider_version: str(meta.aider_version),
    metadata: meta,
  };
}

/**
 * Gathers a task's story from the history (archives included) and its log: attempts (started → outcome, error,
 * exit code), gate results, warnings/errors, and the tail of the last attempt's output. Reads only.
 */
export function explainTask(
  paths: StatePaths,
  taskId: string,
  options: { logLines?: number } = {},
): TaskExplanation {
  const logLines = options.logLines ?? 40;
  const loaded = loadSnapshot(paths, { validate: false });
  const record =
    loaded.status === "ok" ? (loaded.snapshot.tasks.find((t) => t.task_id === taskId) ?? null) : null;
  const attempts: Array<{ -readonly [K in keyof AttemptSummary]: AttemptSummary[K] }> = [];
  const gates: GateResult[] = [];
  const problems: EventLine[] = [];
  let events = 0;
  let status: string | null = null;
  for (const e of queryEvents(paths, { task: taskId })) {
    events += 1;
    if (e.entity_type === "task" && e.to_state !== null) status = e.to_state;
    const m = e.metadata;
    if (e.to_state === "running") {
      attempts.push({
        attempt: num(m.attempt) ?? attempts.length + 1,
        started_at: e.timestamp,
        worker: e.worker_id ?? null,
        outcome: null,
        ended_at: null,
        trigger: null,
        duration_seconds: null,
        exit_code: null,
        error: null,
        fix_attempt: num(m.fix_attempt),
        tokens_used: null,
        cost_usd: null,
        result: null,
      });
    } else if (e.from_state === "running" || (e.from_state === "validating" && e.to_state !== null)) {
      const a = attempts.at(-1);
      if (a !== undefined && (a.outcome === null || a.outcome === "validating")) {
        a.outcome = e.to_state;
        a.ended_at = e.timestamp;
        a.trigger = e.trigger;
        a.duration_seconds = num(m.duration_seconds) ?? a.duration_seconds;
        a.exit_code = num(m.exit_code) ?? a.exit_code;
        a.tokens_used = num(m.attempt_tokens) ?? a.tokens_used;
        a.cost_usd = num(m.attempt_cost_usd) ?? a.cost_usd;
        a.result = resultOf(m.result) ?? a.result;
        const type = str(m.error_type);
        if (type !== null) a.error = { type, message: str(m.error_message) ?? "" };
      }
    }
    const gate = str(m.gate) ?? str(m.rule);
    if (gate !== null) {
      const passed = e.event.includes("pass") || e.trigger === "validation_passed";
      gates.push({ seq: e.seq, timestamp: e.timestamp, gate, passed, message: str(m.error_message) });
    } else if (e.trigger === "validation_passed") {
      gates.push({ seq: e.seq, timestamp: e.timestamp, gate: "post_execution", passed: true, message: null });
    }
    if (e.severity !== "info" || e.event_type === "manual_override") problems.push(e);
  }
  const logText = readTaskLog(paths, taskId);
  let log: TaskExplanation["log"] = null;
  if (logText !== null) {
    const parts = splitTaskLog(logText.text);
    const last = parts.at(-1);
    if (last !== undefined)
      log = { file: logText.file, attempt: last.attempt, tail: last.lines.slice(-logLines) };
  }
  const found = record !== null || events > 0;
  const finalStatus = record?.status ?? status;
  const lastErr = [...attempts].reverse().find((a) => a.error !== null)?.error ?? null;
  const recErr = record?.last_error as { type?: string; message?: string } | null | undefined;
  let summary: string;
  if (!found) summary = `no task '${taskId}' in the state or the log`;
  else if (finalStatus === "failed") {
    const err = recErr ?? lastErr;
    summary = `failed after ${attempts.length} attempt(s)${err ? `: ${err.type}: ${err.message}` : ""}`;
  } else if (finalStatus === "completed") summary = `completed after ${attempts.length} attempt(s)`;
  else if (finalStatus === "blocked")
    summary = `blocked: ${recErr?.message ?? "a dependency failed or was cancelled"}`;
  else summary = `${finalStatus ?? "unknown"} (${attempts.length} attempt(s) so far)`;
  return {
    task_id: taskId,
    found,
    record,
    status: finalStatus,
    attempts,
    gates,
    problems,
    events,
    log,
    summary,
  };
}
