import type { PlanResult } from "./compute-plan.js";
import type { DagIssue } from "./dag-issue.js";
import { ESTIMATE_SOURCES, type EstimateSource } from "./estimate-durations.js";

/** What `weft plan --json` prints for one workstream (the files hold the full documents). */
export interface WorkstreamPlanSummary {
  readonly workstream_id: string;
  readonly tasks: number;
  readonly edges: number;
  /** Absent when the workstream has a cycle. */
  readonly stages?: readonly {
    readonly stage: number;
    readonly tasks: readonly string[];
    readonly max_parallelism: number;
    readonly estimated_duration_seconds: number;
    readonly critical_path: readonly string[];
    readonly resource_requirements: Readonly<Record<string, number | string>>;
  }[];
  readonly critical_path_tasks?: readonly string[];
  readonly critical_path_duration?: number;
  readonly total_estimated_duration?: number;
  /** How many estimates came from the task files, from past runs, and from the per-type defaults. */
  readonly estimate_sources: Readonly<Record<EstimateSource, number>>;
  readonly cycles: readonly (readonly string[])[];
}

export interface PlanSummary {
  readonly ok: boolean;
  readonly workers: number;
  readonly workstream_order: readonly string[];
  readonly workstreams: readonly WorkstreamPlanSummary[];
  readonly problems: readonly DagIssue[];
  readonly errors: number;
  readonly warnings: number;
}

/**
 * The data `weft plan` reports (its `--json` output), for the selected workstreams (all when `only` is absent).
 * Problems of unselected workstreams are left out, workstream-level ones (depends_on) kept.
 */
export function summarizePlan(result: PlanResult, workers: number, only?: ReadonlySet<string>): PlanSummary {
  const selected = result.workstreams.filter((w) => !only || only.has(w.workstreamId));
  const problems = result.issues.filter(
    (i) =>
      !only || i.workstream_id === undefined || only.has(i.workstream_id) || i.kind === "workstream_cycle",
  );
  const errors = problems.filter((i) => i.severity !== "warning").length;
  return {
    ok: errors === 0,
    workers,
    workstream_order: result.workstreamOrder,
    workstreams: selected.map((w) => {
      const sources = { task: 0, history: 0, default: 0 } as Record<EstimateSource, number>;
      for (const s of w.estimates.source) sources[ESTIMATE_SOURCES[s]!]++;
      const base = {
        workstream_id: w.workstreamId,
        tasks: w.graph.size,
        edges: w.graph.edgeCount,
        estimate_sources: sources,
        cycles: w.cycles,
      };
      if (!w.plan) return base;
      return {
        ...base,
        stages: w.plan.stages.map((s) => ({
          stage: s.stage,
          tasks: s.parallel_tasks,
          max_parallelism: s.max_parallelism,
          estimated_duration_seconds: s.estimated_duration_seconds,
          critical_path: s.critical_path,
          resource_requirements: s.resource_requirements,
        })),
        critical_path_tasks: w.plan.critical_path_tasks,
        critical_path_duration: w.plan.critical_path_duration,
        total_estimated_duration: w.plan.total_estimated_duration,
      };
    }),
    problems,
    errors,
    warnings: problems.length - errors,
  };
}
