import { refillPerSecond } from "@weft/core-schema";
import type { DagIssue } from "./dag-issue.js";
import type { PlanTask } from "./plan-task.js";

/** The fields of a resource registry entry (CONC-REG-001) that planning reads; `ResourceEntry` is assignable. */
export interface PlanResource {
  readonly ResourceId: string;
  readonly Type: "exclusive" | "shared" | "rate_limited" | "pooled";
  /** -1 = unlimited. Default 1. */
  readonly MaxHolders?: number | undefined;
  readonly RefillRate?: string | null | undefined;
  readonly Metadata?: { readonly ConflictsWith?: readonly string[] | undefined } | undefined;
}

/** Request kinds in {@link CompiledResources.reqKind}. */
export const REQ_EXCLUSIVE = 0;
export const REQ_SHARED = 1;
export const REQ_UNITS = 2;

/**
 * Resource registry and the requests of one workstream's tasks in flat arrays, for the makespan simulation.
 * Requests that can never be met (unknown resource, more units than MaxHolders) are left out and reported.
 */
export interface CompiledResources {
  readonly ids: readonly string[];
  /** Holder slots / units / bucket size; Infinity when MaxHolders is -1. */
  readonly capacity: Float64Array;
  /** 1 for rate_limited resources (token buckets). */
  readonly isRate: Uint8Array;
  /** Tokens per second (rate_limited only). */
  readonly rate: Float64Array;
  /** Symmetric ConflictsWith lists, CSR. */
  readonly conflictOffsets: Int32Array;
  readonly conflicts: Int32Array;
  /** Task node → its requests `reqOffsets[v] … reqOffsets[v+1]`. */
  readonly reqOffsets: Int32Array;
  readonly reqRes: Int32Array;
  readonly reqKind: Uint8Array;
  readonly reqAmount: Float64Array;
  /** Number of requests in total (0 → the simulation skips resource checks). */
  readonly requestCount: number;
}

/**
 * Compiles the registry and the tasks' `resource_requirements` (CONC-REG-002) and reports, before anything runs,
 * unknown resources and requests larger than the registry allows (SPEC §7: "any request that can never be met").
 *
 * Semantics: `"exclusive"` = sole holder; `"shared"` = one holder slot out of MaxHolders, excluded by an exclusive
 * holder of the resource or of one it conflicts with (ConflictsWith, taken symmetrically); a number = pooled units
 * (or holder slots) out of MaxHolders; on a rate_limited resource a number is tokens from a bucket of MaxHolders
 * refilled at RefillRate, and `"exclusive"`/`"shared"` count as one token.
 */
export function compileResources(
  workstreamId: string,
  tasks: readonly PlanTask[],
  registry: readonly PlanResource[],
): { resources: CompiledResources; issues: DagIssue[] } {
  const issues: DagIssue[] = [];
  const index = new Map<string, number>();
  for (const r of registry) if (!index.has(r.ResourceId)) index.set(r.ResourceId, index.size);
  const R = index.size;
  const ids = [...index.keys()];
  const entries = ids.map((id) => registry.find((r) => r.ResourceId === id)!);
  const capacity = new Float64Array(R);
  const isRate = new Uint8Array(R);
  const rate = new Float64Array(R);
  const conflictSets: Set<number>[] = ids.map(() => new Set());
  for (let r = 0; r < R; r++) {
    const e = entries[r]!;
    const max = e.MaxHolders ?? 1;
    capacity[r] = max < 0 ? Number.POSITIVE_INFINITY : max;
    if (e.Type === "rate_limited") {
      isRate[r] = 1;
      rate[r] = e.RefillRate ? refillPerSecond(e.RefillRate) : 0;
    }
    for (const other of e.Metadata?.ConflictsWith ?? []) {
      const c = index.get(other);
      if (c === undefined || c === r) continue;
      conflictSets[r]!.add(c);
      conflictSets[c]!.add(r);
    }
  }
  const conflictOffsets = new Int32Array(R + 1);
  for (let r = 0; r < R; r++) conflictOffsets[r + 1] = conflictOffsets[r]! + conflictSets[r]!.size;
  const conflicts = new Int32Array(conflictOffsets[R]!);
  for (let r = 0; r < R; r++) {
    let at = conflictOffsets[r]!;
    for (const c of [...conflictSets[r]!].sort((a, b) => a - b)) conflicts[at++] = c;
  }

  const n = tasks.length;
  const reqOffsets = new Int32Array(n + 1);
  const res: number[] = [];
  const kind: number[] = [];
  const amount: number[] = [];
  for (let v = 0; v < n; v++) {
    const task = tasks[v]!;
    const reqs = task.resource_requirements;
    if (reqs && hasKeys(reqs)) {
      for (const resourceId of Object.keys(reqs).sort()) {
        const value = reqs[resourceId]!;
        const r = index.get(resourceId);
        if (r === undefined) {
          issues.push({
            kind: "unknown_resource",
            severity: "error",
            code: "SCHED_RESOURCE_UNSATISFIABLE",
            message: `${task.task_id} requires resource ${resourceId}, which the resource registry does not define`,
            hint: `add ${resourceId} to capabilities/resources.(json|yaml|psd1) or remove it from resource_requirements`,
            workstream_id: workstreamId,
            task_id: task.task_id,
          });
          continue;
        }
        const e = entries[r]!;
        const cap = capacity[r]!;
        let k: number;
        let a = 1;
        if (isRate[r]) {
          k = REQ_UNITS;
          if (typeof value === "number") a = value;
          else if (value === "exclusive") {
            issues.push({
              kind: "resource_mode_ignored",
              severity: "warning",
              message: `${task.task_id} asks for ${resourceId} "exclusive", but ${resourceId} is rate_limited: it takes one token`,
              hint: "ask a rate_limited resource for a number of tokens",
              workstream_id: workstreamId,
              task_id: task.task_id,
            });
          }
        } else if (value === "exclusive") {
          k = REQ_EXCLUSIVE;
        } else if (value === "shared") {
          k = REQ_SHARED;
        } else {
          k = REQ_UNITS;
          a = value;
        }
        if (k !== REQ_EXCLUSIVE && a > cap) {
          issues.push({
            kind: "resource_request_too_large",
            severity: "error",
            code: "SCHED_RESOURCE_UNSATISFIABLE",
            message: `${task.task_id} asks for ${a} of ${resourceId}, but ${e.Type} resource ${resourceId} has MaxHolders ${cap}: it can never run`,
            hint: `ask for at most ${cap}, or raise MaxHolders of ${resourceId}`,
            workstream_id: workstreamId,
            task_id: task.task_id,
          });
          continue;
        }
        res.push(r);
        kind.push(k);
        amount.push(a);
      }
    }
    reqOffsets[v + 1] = res.length;
  }
  return {
    resources: {
      ids,
      capacity,
      isRate,
      rate,
      conflictOffsets,
      conflicts,
      reqOffsets,
      reqRes: Int32Array.from(res),
      reqKind: Uint8Array.from(kind),
      reqAmount: Float64Array.from(amount),
      requestCount: res.length,
    },
    issues,
  };
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}
