import { toSnakeCase } from "@weft/core-schema";
import type { DagIssue } from "./dag-issue.js";
import type { PlanTask } from "./plan-task.js";

/** The fields of a capability registry entry (CAP-REG-001) that planning reads; `CapabilityEntry` is assignable. */
export interface PlanCapability {
  readonly CapabilityId: string;
  readonly Name: string;
  readonly Version?: string | undefined;
  readonly DeprecatedBy?: string | null | undefined;
  readonly Stability?: "experimental" | "stable" | "deprecated" | undefined;
}

/** A capability some worker advertises, with its version (SPEC §6). */
export interface WorkerOffer {
  readonly name: string;
  readonly version?: string | undefined;
}

const LISTED = 5;

/**
 * Capability problems known before anything runs (SPEC §6, CAP-REG-001/002), one issue per workstream and
 * capability (naming up to five of the tasks):
 * - `no_capable_worker` (error): no worker advertises it — the task would wait forever;
 * - `capability_version_too_low` (error): workers advertise it, but older than the task's `min_version`;
 * - `deprecated_capability` (warning): the registry marks it deprecated; the hint names `DeprecatedBy`;
 * - `unknown_capability` (warning): not in the registry (still scheduled on a worker that advertises it).
 *
 * Names match by CapabilityId, by Name, or by Name in snake_case (`GitOperations` ↔ `git_operations`).
 */
export function checkCapabilities(
  workstreamId: string,
  tasks: readonly PlanTask[],
  registry: readonly PlanCapability[],
  offers: readonly WorkerOffer[],
): DagIssue[] {
  const bySnake = new Map<string, PlanCapability>();
  for (const e of registry) {
    for (const key of [e.CapabilityId, e.Name]) {
      const snake = toSnakeCase(key);
      if (!bySnake.has(snake)) bySnake.set(snake, e);
    }
  }
  const canonical = (name: string): string => {
    const entry = bySnake.get(toSnakeCase(name));
    return entry ? `#${entry.CapabilityId}` : toSnakeCase(name);
  };
  const offered = new Map<string, (string | undefined)[]>();
  for (const o of offers) {
    const key = canonical(o.name);
    const list = offered.get(key);
    if (list) list.push(o.version);
    else offered.set(key, [o.version]);
  }
  type Need = { name: string; tasks: string[]; tooLow: string[]; minVersion?: string };
  const needs = new Map<string, Need>();
  for (const task of tasks) {
    const caps = task.worker_requirements?.capabilities;
    if (!caps || caps.length === 0) continue;
    const min = task.worker_requirements?.min_version;
    for (const name of caps) {
      const key = canonical(name);
      let need = needs.get(key);
      if (!need) {
        need = { name, tasks: [], tooLow: [] };
        needs.set(key, need);
      }
      need.tasks.push(task.task_id);
      const versions = offered.get(key);
      if (
        min !== undefined &&
        versions &&
        !versions.some((v) => v === undefined || compareSemver(v, min) >= 0)
      ) {
        need.tooLow.push(task.task_id);
        need.minVersion ??= min;
      }
    }
  }
  const issues: DagIssue[] = [];
  for (const [key, need] of [...needs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const entry = bySnake.get(toSnakeCase(need.name));
    const who = listTasks(need.tasks);
    if (!entry) {
      issues.push({
        kind: "unknown_capability",
        severity: "warning",
        message: `capability ${need.name} (needed by ${who}) is not in the capability registry`,
        hint: `add ${need.name} to capabilities/registry.(json|yaml|psd1), or fix the name`,
        workstream_id: workstreamId,
        task_id: need.tasks[0],
      });
    } else if (entry.Stability === "deprecated" || entry.DeprecatedBy) {
      issues.push({
        kind: "deprecated_capability",
        severity: "warning",
        message: `capability ${need.name} (needed by ${who}) is deprecated${entry.DeprecatedBy ? `; DeprecatedBy: ${entry.DeprecatedBy}` : ""}`,
        hint: entry.DeprecatedBy
          ? `require ${entry.DeprecatedBy} instead of ${need.name}`
          : `find the replacement of ${need.name} in the registry`,
        workstream_id: workstreamId,
        task_id: need.tasks[0],
      });
    }
    const versions = offered.get(key);
    if (!versions) {
      issues.push({
        kind: "no_capable_worker",
        severity: "error",
        code: "SCHED_NO_CAPABLE_WORKER",
        message: `no worker offers capability ${need.name}, needed by ${who}`,
        hint: `install it on a worker or declare it in weft.config.json workers.capabilities`,
        workstream_id: workstreamId,
        task_id: need.tasks[0],
      });
    } else if (need.tooLow.length > 0) {
      const have = versions.filter((v): v is string => v !== undefined).join(", ");
      issues.push({
        kind: "capability_version_too_low",
        severity: "error",
        code: "SCHED_NO_CAPABLE_WORKER",
        message: `workers offer ${need.name} ${have}, but ${listTasks(need.tooLow)} need at least ${need.minVersion}`,
        hint: `upgrade ${need.name} on a worker, or lower min_version`,
        workstream_id: workstreamId,
        task_id: need.tooLow[0],
      });
    }
  }
  return issues;
}

function listTasks(ids: readonly string[]): string {
  const shown = ids.slice(0, LISTED).join(", ");
  if (ids.length === 1) return `task ${shown}`;
  return ids.length > LISTED ? `${ids.length} tasks (${shown}, …)` : `tasks ${shown}`;
}

/** Compares `MAJOR.MINOR.PATCH[-pre]` versions; a pre-release sorts before its release. Unparseable parts count as 0. */
export function compareSemver(a: string, b: string): number {
  const parse = (v: string): [number[], string] => {
    const noBuild = v.replace(/^v/, "").split("+", 1)[0]!;
    const dash = noBuild.indexOf("-");
    const core = dash < 0 ? noBuild : noBuild.slice(0, dash);
    return [core.split(".").map((x) => Number.parseInt(x, 10) || 0), dash < 0 ? "" : noBuild.slice(dash + 1)];
  };
  const [ca, pa] = parse(a);
  const [cb, pb] = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (ca[i] ?? 0) - (cb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (pa === pb) return 0;
  if (pa === "") return 1;
  if (pb === "") return -1;
  return pa < pb ? -1 : 1;
}
