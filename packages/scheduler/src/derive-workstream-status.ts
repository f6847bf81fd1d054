import type { TaskStatus, WorkstreamStatus } from "@weft/core-schema";

/** What the derivation needs to know about a workstream's tasks (kept as counters by the engine). */
export interface WorkstreamTaskCounts {
  readonly total: number;
  readonly byStatus: Readonly<Partial<Record<TaskStatus, number>>>;
  /** Critical tasks, and how many of them are completed / failed. */
  readonly criticalTotal: number;
  readonly criticalCompleted: number;
  readonly criticalFailed: number;
  /** True once any task of the workstream has started (left pending/queued at least once). */
  readonly everStarted: boolean;
  /** A person cancelled the workstream. */
  readonly cancelledByPerson: boolean;
}

/**
 * SM-DEF-002 / SPEC §5 derivation, rules evaluated in order:
 * 1. no tasks → `planned`; 2. cancelled by a person → `cancelled`; 3. a critical task `failed` → `failed`;
 * 4. every task settled (terminal, or blocked behind a failure) and every critical task completed → `validating`;
 * 5. every task pending/queued and none ever started → `ready`; 6. otherwise `executing`.
 * Decision (docs/execution_model/SCHEDULING.md): when every task is settled but a critical task can never complete
 * (it is blocked behind a non-critical failure, or a person cancelled it), the workstream is `failed` — a
 * non-critical failure never leaves a workstream stuck in `executing`.
 */
export function deriveWorkstreamStatus(c: WorkstreamTaskCounts): WorkstreamStatus {
  if (c.total === 0) return "planned";
  if (c.cancelledByPerson) return "cancelled";
  if (c.criticalFailed > 0) return "failed";
  const n = (s: TaskStatus): number => c.byStatus[s] ?? 0;
  const settled = n("completed") + n("failed") + n("cancelled") + n("blocked");
  if (settled === c.total) return c.criticalCompleted === c.criticalTotal ? "validating" : "failed";
  if (!c.everStarted && n("pending") + n("queued") === c.total) return "ready";
  return "executing";
}
