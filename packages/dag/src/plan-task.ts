import type { ResourceRequirement } from "@weft/core-schema";

/**
 * The fields of a task definition (TASK-DEF-001) that planning reads. A parsed `TaskDefinition` from
 * `@weft/core-schema` is assignable to it; plain objects (tests, benchmarks) work too.
 */
export interface PlanTask {
  readonly task_id: string;
  readonly workstream_id: string;
  readonly name?: string | undefined;
  readonly type?: string | undefined;
  /** The status written in the task file; the live status comes from `.state` (see `PlanOptions.statusOf`). */
  readonly status?: string | undefined;
  readonly dependencies?: readonly string[] | undefined;
  readonly blocks?: readonly string[] | undefined;
  /** Higher runs first among otherwise equal tasks; absent = 0. */
  readonly priority?: number | undefined;
  readonly estimated_duration_seconds?: number | undefined;
  readonly worker_requirements?:
    | { readonly capabilities?: readonly string[] | undefined; readonly min_version?: string | undefined }
    | undefined;
  readonly resource_requirements?: Readonly<Record<string, ResourceRequirement>> | undefined;
}

/** The fields of `_workstream.json` (SPEC §5) that planning reads. */
export interface PlanWorkstream {
  readonly workstream_id: string;
  readonly depends_on?: readonly string[] | undefined;
  readonly priority?: number | undefined;
}
