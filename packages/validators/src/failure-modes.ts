import { STATE_MACHINES } from "@weft/core-schema";

/** The failure modes SPEC §9 requires a document for (ERR-FM-001), in catalog order. */
export const FAILURE_MODES = [
  "Task-Timeout",
  "Task-Failed",
  "Worker-Unresponsive",
  "Resource-Exhaustion",
  "Validation-Failed",
  "Dependency-Cycle",
  "Context-Overflow",
  "Worker-Crashed",
  "Workstream-Failed",
  "Workstream-Timeout",
  "State-Corruption",
  "Merge-Conflict",
] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];

/** The sections every failure-mode document has (ERR-FM-002, SPEC §9), in this order. */
export const FAILURE_MODE_SECTIONS = [
  "Detection",
  "Event and severity",
  "Automatic recovery",
  "Manual steps",
  "Related modes",
  "Decision tree",
] as const;

/**
 * Events weft records with the severities it may give them (ERR-FM-003): every state-machine transition's event
 * (SM-DEF-001..003), plus the system-level events of SPEC §2 (STATE-OBS-004) that are not transitions.
 */
export function knownEventSeverities(): ReadonlyMap<string, ReadonlySet<string>> {
  const map = new Map<string, Set<string>>();
  const add = (event: string, severity: string): void => {
    const s = map.get(event) ?? new Set<string>();
    s.add(severity);
    map.set(event, s);
  };
  for (const m of Object.values(STATE_MACHINES)) for (const t of m.transitions) add(t.event, t.severity);
  add("dependency_cycle_detected", "critical");
  add("resource_exhausted", "critical");
  add("state_corruption", "critical");
  add("task_starved", "warning");
  return map;
}
