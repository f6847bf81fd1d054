import type { ErrorCode } from "@weft/core-schema";

/** What a planning problem is about. Stable names: scripts may match on them. */
export type DagIssueKind =
  | "dependency_cycle"
  | "workstream_cycle"
  | "unknown_dependency"
  | "cross_workstream_dependency"
  | "unknown_workstream"
  | "duplicate_task"
  | "one_sided_declaration"
  | "no_capable_worker"
  | "unknown_capability"
  | "deprecated_capability"
  | "capability_version_too_low"
  | "resource_request_too_large"
  | "unknown_resource"
  | "resource_mode_ignored";

/**
 * One planning problem. Errors make `weft plan` exit 1; warnings are printed and kept.
 * `critical` is used for cycles, matching the severity of the `dependency_cycle_detected` event (STATE-OBS-004).
 */
export interface DagIssue {
  readonly kind: DagIssueKind;
  readonly severity: "warning" | "error" | "critical";
  /** The permanent WeftError code, for errors that have one (docs/errors.md). */
  readonly code?: ErrorCode | undefined;
  /** The event name weft logs for this problem, when it logs one (`dependency_cycle_detected`). */
  readonly event?: string | undefined;
  readonly message: string;
  readonly hint?: string | undefined;
  readonly workstream_id?: string | undefined;
  readonly task_id?: string | undefined;
  /** For cycles: the ids on the cycle, in order; each depends on the next and the last on the first. */
  readonly cycle?: readonly string[] | undefined;
}

/** True when the issue must fail the command (error or critical). */
export function isBlockingIssue(issue: DagIssue): boolean {
  return issue.severity !== "warning";
}
