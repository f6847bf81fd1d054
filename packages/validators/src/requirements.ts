/**
 * The requirement IDs the validators check (COMPLIANCE-001), with a title, the SPEC section, the scopes that
 * include them and what a violation means in words. The order here is the order of every report.
 */

/** A validation scope: the positional of `weft validate <scope>`. */
export type ValidateScope = "all" | "state" | "tasks" | "dag" | "failure-modes" | "docs";

export const VALIDATE_SCOPES: readonly ValidateScope[] = [
  "all",
  "state",
  "tasks",
  "dag",
  "failure-modes",
  "docs",
];

export interface RequirementInfo {
  readonly id: string;
  readonly title: string;
  /** Where the requirement is defined (SPEC.md section or a docs file). */
  readonly source: string;
  readonly scopes: readonly Exclude<ValidateScope, "all">[];
}

const r = (
  id: string,
  title: string,
  source: string,
  ...scopes: Exclude<ValidateScope, "all">[]
): RequirementInfo => ({
  id,
  title,
  source,
  scopes,
});

/** Every requirement a validator reports on, in report order. */
export const REQUIREMENTS: readonly RequirementInfo[] = [
  r("STATE-OBS-001", ".state/current.json holds the complete current state", "SPEC §2", "state"),
  r(
    "STATE-OBS-002",
    ".state/transitions.jsonl is an append-only log of one JSON object per line",
    "SPEC §2",
    "state",
  ),
  r(
    "STATE-OBS-003",
    "Atomic updates: no leftover .tmp files, snapshot not behind the log",
    "SPEC §2",
    "state",
  ),
  r("STATE-OBS-004", "Every event line matches the event schema", "SPEC §2", "state"),
  r(
    "STATE-OBS-005",
    "Indices by_workstream/by_status/by_worker exist with their source markers",
    "SPEC §2",
    "state",
  ),
  r(
    "STATE-OBS-006",
    "Indices are current with current.json (stale indices are reported)",
    "SPEC §2",
    "state",
  ),
  r(
    "TASK-DEF-001",
    "One readable task file per task at tasks/<workstream_id>/<task_id>.json",
    "SPEC §1, §3",
    "tasks",
  ),
  r(
    "TASK-DEF-002",
    "Task fields match the schema; ids, dependencies and gate rules resolve",
    "SPEC §3",
    "tasks",
  ),
  r("SM-DEF-001", "Recorded task transitions are legal for the task lifecycle", "SPEC §4", "state"),
  r(
    "SM-DEF-002",
    "Recorded workstream transitions are legal for the workstream lifecycle",
    "SPEC §5",
    "state",
  ),
  r("SM-DEF-003", "Recorded worker transitions are legal for the worker lifecycle", "SPEC §6", "state"),
  r(
    "CAP-REG-001",
    "The capability registry has the required shape, versions and stability",
    "SPEC §6",
    "tasks",
  ),
  r("CAP-REG-002", "Task capabilities resolve in the registry and are not deprecated", "SPEC §6", "tasks"),
  r("CONC-REG-001", "The resource registry has the required shape", "SPEC §7", "tasks"),
  r(
    "CONC-REG-002",
    "Task resource requirements fit the resource types and can be satisfied",
    "SPEC §7",
    "tasks",
  ),
  r("DAG-VIEW-001", "dag_{ws}.json documents match the task dependencies", "SPEC §8", "dag"),
  r("DAG-VIEW-002", "execution_plan_{ws}.json documents are consistent with the DAG", "SPEC §8", "dag"),
  r("DAG-VIEW-003", "No dependency cycles, missing or cross-workstream dependencies", "SPEC §8", "dag"),
  r("ERR-FM-001", "The failure-mode catalog lists every required mode", "SPEC §9", "failure-modes", "docs"),
  r(
    "ERR-FM-002",
    "Each failure mode has its own file with the required sections",
    "SPEC §9",
    "failure-modes",
    "docs",
  ),
  r(
    "ERR-FM-003",
    "Failure-mode docs name real events and severities and link real modes",
    "SPEC §9",
    "failure-modes",
    "docs",
  ),
  r(
    "EXEC-DOC-001",
    "docs/execution_model/OVERVIEW.md describes the execution model",
    "docs/execution_model",
    "docs",
  ),
  r(
    "EXEC-DOC-002",
    "docs/execution_model/STATE_MACHINE.md covers all three lifecycles",
    "docs/execution_model",
    "docs",
  ),
  r(
    "EXEC-DOC-003",
    "docs/execution_model/SCHEDULING.md describes scheduling",
    "docs/execution_model",
    "docs",
  ),
  r("EXEC-DOC-004", "docs/execution_model/WORKERS.md describes workers", "docs/execution_model", "docs"),
  r("EXEC-DOC-005", "docs/execution_model/RECOVERY.md describes recovery", "docs/execution_model", "docs"),
  r(
    "EXEC-DOC-006",
    "docs/state_machines/*.yaml match the state machines in code",
    "docs/execution_model",
    "docs",
  ),
  r("SCHEMA-VER-001", "Every document carries a known schema_version", "SPEC §12", "tasks", "state"),
  r(
    "SCHEMA-VER-002",
    "Schema migrations are documented; old task versions are flagged for migration",
    "SPEC §12",
    "tasks",
    "docs",
  ),
  r("AUDIT-001", "The event log is continuous (no seq gaps, hash chain intact)", "SPEC §11", "state"),
  r(
    "AUDIT-002",
    "The retention policy is documented and configured; archives follow the layout",
    "SPEC §11",
    "state",
    "docs",
  ),
  r("MOD-IDX-001", "Package entry modules begin with the module documentation header", "SPEC §15", "docs"),
];

/** The requirement with this id (a programmer error when unknown). */
export function requirementInfo(id: string): RequirementInfo {
  const info = REQUIREMENTS.find((q) => q.id === id);
  if (!info) throw new Error(`unknown requirement id ${id}`);
  return info;
}

/** The requirement IDs one or more scopes cover, in report order. */
export function requirementsForScopes(scopes: readonly ValidateScope[]): string[] {
  const all = scopes.includes("all");
  return REQUIREMENTS.filter((q) => all || q.scopes.some((s) => scopes.includes(s))).map((q) => q.id);
}
