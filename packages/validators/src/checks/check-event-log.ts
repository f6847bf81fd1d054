import { createHash } from "node:crypto";
import {
  checkTransition,
  EVENT_SCHEMA_VERSION,
  EventLine,
  STATE_MACHINES,
  type StateMachine,
} from "@weft/core-schema";
import { isPlainValidEvent } from "../internal/fast-event-check.js";
import { parseJsonText } from "../internal/locate-json.js";
import { readLines } from "../internal/read-lines.js";
import { fixForIssue, formatPath } from "../internal/zod-violations.js";
import type { Violation } from "../validation-report.js";

/** What the log scan learned, for the snapshot checks (STATE-OBS-003). */
export interface EventLogSummary {
  readonly lines: number;
  readonly lastSeq: number | null;
  readonly lastTimestamp: string | null;
  readonly violations: readonly Violation[];
}

const MACHINE_BY_TYPE: Readonly<Record<string, StateMachine>> = {
  task_state_transition: STATE_MACHINES.task,
  workstream_state_transition: STATE_MACHINES.workstream,
  worker_state_transition: STATE_MACHINES.worker,
};
const MACHINE_BY_ENTITY: Readonly<Record<string, StateMachine>> = {
  task: STATE_MACHINES.task,
  workstream: STATE_MACHINES.workstream,
  worker: STATE_MACHINES.worker,
};

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Cap per requirement so a corrupt 100 MB log cannot produce a million violations. */
const MAX_PER_REQUIREMENT = 200;

/**
 * One streaming pass over `.state/transitions.jsonl`:
 * - STATE-OBS-002 every line is one JSON object, the last line is complete;
 * - STATE-OBS-004 every line matches the event schema; SCHEMA-VER-001 its schema_version is known;
 * - AUDIT-001 seq increases by exactly 1 per line and `prev_hash` (when present) is the sha256 of the previous line;
 * - SM-DEF-001..003 every recorded state transition is legal for its machine (`checkTransition`), starts from the
 *   state the entity was last recorded in, and carries the event name and severity the machine defines (WARN).
 */
export async function scanEventLog(
  path: string,
  file: string,
  signal?: AbortSignal,
): Promise<EventLogSummary> {
  const violations: Violation[] = [];
  const counts = new Map<string, number>();
  const push = (v: Violation): void => {
    const n = counts.get(v.requirement) ?? 0;
    counts.set(v.requirement, n + 1);
    if (n < MAX_PER_REQUIREMENT) violations.push(v);
    else if (n === MAX_PER_REQUIREMENT) {
      violations.push({
        ...v,
        message: `more than ${MAX_PER_REQUIREMENT} ${v.requirement} problems; the rest are not listed`,
        fix: "fix the ones above and run again",
      });
    }
  };
  const lastState = new Map<string, { state: string; line: number }>();
  let prevSeq: number | null = null;
  let prevText: string | null = null;
  let lastTimestamp: string | null = null;
  let lines = 0;
  for await (const { text, line, terminated } of readLines(path, signal)) {
    lines = line;
    const at = (path: readonly (string | number)[]): number => parseJsonText(text).locate(path).column;
    if (text.trim() === "") {
      push({
        requirement: "STATE-OBS-002",
        level: "error",
        file,
        line,
        column: 1,
        message: "empty line in the event log",
        fix: "the log holds one JSON object per line; restore it from the archive or run `weft audit verify`",
      });
      prevText = text;
      continue;
    }
    if (!terminated) {
      push({
        requirement: "STATE-OBS-002",
        level: "error",
        file,
        line,
        column: text.length + 1,
        message: "the last line has no newline (a torn append)",
        fix: "start `weft run` once: recovery truncates the torn line and re-appends the events from current.json's recent_events",
      });
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      const syntax = parseJsonText(text).syntaxError;
      push({
        requirement: "STATE-OBS-002",
        level: "error",
        file,
        line,
        column: syntax?.position.column ?? 1,
        message: `the line is not valid JSON${syntax ? `: ${syntax.message}` : ""}`,
        fix: "never edit the log by hand; restore the segment from its archive (`weft audit verify` shows which)",
      });
      prevText = text;
      continue;
    }
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      push({
        requirement: "STATE-OBS-002",
        level: "error",
        file,
        line,
        column: 1,
        message: "the line is not a JSON object",
        fix: "every log line is one event object",
      });
      prevText = text;
      continue;
    }
    const obj = raw as Record<string, unknown>;
    if (obj.schema_version !== EVENT_SCHEMA_VERSION) {
      push({
        requirement: "SCHEMA-VER-001",
        level: "error",
        file,
        line,
        column: at(["schema_version"]),
        message:
          obj.schema_version === undefined
            ? "event line has no schema_version"
            : `event line has unknown schema_version ${JSON.stringify(obj.schema_version)}`,
        fix: `events are schema ${EVENT_SCHEMA_VERSION}; migrate the log with the weft release that wrote it`,
      });
    }
    const parsed = isPlainValidEvent(obj) ? undefined : EventLine.safeParse(raw);
    if (parsed && !parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.path[0] === "schema_version") continue;
        const p = issue.path.filter((s): s is string | number => typeof s !== "symbol");
        push({
          requirement: "STATE-OBS-004",
          level: "error",
          file,
          line,
          column: at(p),
          message: `${formatPath(issue.path)}: ${issue.message}`,
          fix: fixForIssue(issue),
        });
      }
    }
    // AUDIT-001: continuity.
    const seq = obj.seq;
    if (typeof seq === "number" && Number.isInteger(seq)) {
      if (prevSeq !== null && seq !== prevSeq + 1) {
        push({
          requirement: "AUDIT-001",
          level: "error",
          file,
          line,
          column: at(["seq"]),
          message:
            seq <= prevSeq
              ? `seq ${seq} does not increase (previous line has ${prevSeq})`
              : `seq jumps from ${prevSeq} to ${seq}: ${seq - prevSeq - 1} event(s) missing`,
          fix: "the log must be continuous: restore the missing lines from the archive; `weft audit verify` lists gaps",
        });
      }
      prevSeq = seq;
    }
    if (typeof obj.prev_hash === "string" && prevText !== null) {
      if (obj.prev_hash !== sha256(prevText) && obj.prev_hash !== sha256(`${prevText}\n`)) {
        push({
          requirement: "AUDIT-001",
          level: "error",
          file,
          line,
          column: at(["prev_hash"]),
          message: "prev_hash does not match the previous line: the log was edited",
          fix: "restore the original lines from the archive; investigate who edited the log (`weft audit verify`)",
        });
      }
    }
    if (typeof obj.timestamp === "string") {
      if (lastTimestamp !== null && obj.timestamp < lastTimestamp) {
        push({
          requirement: "AUDIT-001",
          level: "warning",
          file,
          line,
          column: at(["timestamp"]),
          message: `timestamp ${obj.timestamp} is earlier than the previous event's ${lastTimestamp}`,
          fix: "check the orchestrator host's clock; events are appended in order",
        });
      }
      lastTimestamp = obj.timestamp;
    }
    prevText = text;
    // SM-DEF-001..003: transitions.
    const eventType = obj.event_type;
    const entityType = obj.entity_type;
    const machine =
      typeof eventType === "string"
        ? (MACHINE_BY_TYPE[eventType] ??
          (eventType === "manual_override" && typeof entityType === "string"
            ? MACHINE_BY_ENTITY[entityType]
            : undefined))
        : undefined;
    if (!machine || typeof obj.to_state !== "string") continue;
    const id = `${machine.id}:${String(obj.entity_id)}`;
    const to = obj.to_state;
    const from = typeof obj.from_state === "string" ? obj.from_state : null;
    const req = machine.requirement;
    if (!machine.states.includes(to)) {
      push({
        requirement: req,
        level: "error",
        file,
        line,
        column: at(["to_state"]),
        message: `'${to}' is not a ${machine.id} state`,
        fix: `use one of ${machine.states.join(", ")}`,
      });
      continue;
    }
    const prev = lastState.get(id);
    lastState.set(id, { state: to, line });
    if (from === null) continue; // registration of a new entity
    if (prev && prev.state !== from) {
      push({
        requirement: req,
        level: "error",
        file,
        line,
        column: at(["from_state"]),
        message: `${machine.id} ${String(obj.entity_id)} moves from '${from}', but line ${prev.line} left it '${prev.state}'`,
        fix: "every transition starts where the previous one ended; restore the missing events from the archive",
      });
    }
    const trigger = typeof obj.trigger === "string" ? obj.trigger : undefined;
    const manual =
      eventType === "manual_override" || (typeof obj.actor === "string" && obj.actor.startsWith("user:"));
    const check = checkTransition(machine, from, to, trigger, { manual });
    if (!check.ok) {
      const allowed = machine.transitions
        .filter((t) => t.from.includes(from))
        .map((t) => `${t.to} (${t.trigger})`);
      push({
        requirement: req,
        level: "error",
        file,
        line,
        column: at(["to_state"]),
        message: `illegal ${machine.id} transition: ${check.reason}`,
        fix: allowed.length
          ? `from '${from}' a ${machine.id} may go to: ${allowed.join(", ")}`
          : `'${from}' is terminal; a person's \`weft retry\` records a manual_override`,
      });
      continue;
    }
    const t = check.transition;
    if (typeof obj.event === "string" && obj.event !== t.event) {
      push({
        requirement: req,
        level: "warning",
        file,
        line,
        column: at(["event"]),
        message: `${machine.id} '${from}' → '${to}' (${t.trigger}) is recorded as '${obj.event}', the machine names it '${t.event}'`,
        fix: `record it as '${t.event}'`,
      });
    }
    if (typeof obj.severity === "string" && obj.severity !== t.severity && eventType !== "manual_override") {
      push({
        requirement: req,
        level: "warning",
        file,
        line,
        column: at(["severity"]),
        message: `'${t.event}' is recorded with severity '${obj.severity}', the machine gives '${t.severity}'`,
        fix: `record severity '${t.severity}'`,
      });
    }
  }
  return { lines, lastSeq: prevSeq, lastTimestamp, violations };
}
