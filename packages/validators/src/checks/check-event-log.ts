import { checkTransition, EVENT_SCHEMA_VERSION, STATE_MACHINES, type StateMachine } from "@weft/core-schema";
import { parseJsonText } from "../internal/locate-json.js";
import { readLines } from "../internal/read-lines.js";
import type { Violation } from "../validation-report.js";

/** What the log scan found. */
export interface EventLogSummary {
  readonly lines: number;
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

/** Cap per requirement so a corrupt 100 MB log cannot produce a million violations. */
const MAX_PER_REQUIREMENT = 200;

/**
 * One streaming pass over `.state/transitions.jsonl` for what the state store's own check does not cover:
 * - SM-DEF-001..003: every recorded state transition is legal for its machine (`checkTransition` from
 *   @weft/core-schema), starts from the state the entity was last recorded in, and carries an event name and
 *   severity the machine defines for a transition into that state (WARN otherwise);
 * - SCHEMA-VER-001: every line's schema_version is the event schema version weft writes.
 * Line syntax, the event schema (STATE-OBS-002/004) and continuity (AUDIT-001) are @weft/state-store's
 * `checkStateDir`. Lines it cannot parse are skipped here.
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
  let lines = 0;
  for await (const { text, line } of readLines(path, signal)) {
    lines = line;
    let obj: Record<string, unknown>;
    try {
      const raw: unknown = JSON.parse(text);
      if (raw === null || typeof raw !== "object" || Array.isArray(raw)) continue;
      obj = raw as Record<string, unknown>;
    } catch {
      continue;
    }
    const at = (p: readonly (string | number)[]): number => parseJsonText(text).locate(p).column;
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
    if (from === null) continue; // the entity's registration
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
    const into = machine.transitions.filter((t) => t.to === to);
    if (typeof obj.event === "string" && !into.some((t) => t.event === obj.event)) {
      push({
        requirement: req,
        level: "warning",
        file,
        line,
        column: at(["event"]),
        message: `${machine.id} '${from}' → '${to}' is recorded as '${obj.event}'; the machine names transitions into '${to}' ${[...new Set(into.map((t) => `'${t.event}'`))].join(" or ")}`,
        fix: `record it as '${check.transition.event}'`,
      });
    }
    if (
      typeof obj.severity === "string" &&
      eventType !== "manual_override" &&
      !into.some((t) => t.severity === obj.severity)
    ) {
      push({
        requirement: req,
        level: "warning",
        file,
        line,
        column: at(["severity"]),
        message: `'${String(obj.event)}' into '${to}' is recorded with severity '${obj.severity}'; the machine gives ${[...new Set(into.map((t) => `'${t.severity}'`))].join(" or ")}`,
        fix: `record severity '${check.transition.severity}'`,
      });
    }
  }
  return { lines, violations };
}
