import {
  type EventDraft,
  type EventLine,
  type StateStorePort,
  type TaskStatus,
  WeftError,
} from "@weft/core-schema";
import { taskEvent, workstreamEvent } from "./transition-events.js";

const TERMINAL = new Set(["completed", "failed", "cancelled"]);

/**
 * `weft retry <task>` (SPEC §4): a failed or cancelled task gets a new attempt (failed/cancelled → pending,
 * `manual_retry`, event_type `manual_override`); its blocked dependents become pending again (`dependency_recovered`)
 * and a failed/cancelled workstream resumes. retry_count restarts at 0 for the new attempt series (decision,
 * docs/execution_model/SCHEDULING.md). Returns the committed lines.
 */
export function applyManualRetry(store: StateStorePort, taskId: string, actor: string): readonly EventLine[] {
  const rec = store.model.tasks.get(taskId);
  if (!rec)
    throw new WeftError("SCHED_TASK_NOT_FOUND", `no task '${taskId}' in .state`, {
      hint: "run `weft status` to list tasks",
    });
  if (rec.status !== "failed" && rec.status !== "cancelled") {
    throw new WeftError(
      "SCHED_TASK_NOT_FOUND",
      `task '${taskId}' is ${rec.status}; only failed or cancelled tasks can be retried`,
      {
        hint: "`weft retry` starts a new attempt of a task that ended failed or cancelled",
      },
    );
  }
  const ws = rec.workstream_id;
  const drafts: EventDraft[] = [
    taskEvent(taskId, rec.status, "pending", "manual_retry", {
      workstream_id: ws,
      manual: true,
      actor,
      metadata: {
        previous_status: rec.status,
        record: { retry_count: 0, fix_attempt: 0, last_error: null, attempt: rec.attempt },
      },
    }),
  ];
  // Unblock dependents (transitively) whose only dead dependency was this task.
  const status = new Map<string, string>([...store.model.tasks.values()].map((t) => [t.task_id, t.status]));
  status.set(taskId, "pending");
  const dependents = new Map<string, string[]>();
  for (const t of store.model.tasks.values()) {
    for (const d of t.dependencies) {
      if (!dependents.has(d)) dependents.set(d, []);
      dependents.get(d)!.push(t.task_id);
    }
  }
  const queue = [...(dependents.get(taskId) ?? [])];
  while (queue.length > 0) {
    const id = queue.shift()!;
    const t = store.model.tasks.get(id);
    if (!t || status.get(id) !== "blocked") continue;
    const dead = t.dependencies.some((d) => {
      const s = status.get(d);
      return s === "failed" || s === "cancelled" || s === "blocked";
    });
    if (dead) continue;
    drafts.push(
      taskEvent(id, "blocked", "pending", "dependency_recovered", {
        workstream_id: t.workstream_id,
        manual: true,
        actor,
        metadata: { recovered: taskId },
      }),
    );
    status.set(id, "pending");
    queue.push(...(dependents.get(id) ?? []));
  }
  const wsRec = store.model.workstreams.get(ws);
  if (wsRec && (wsRec.status === "failed" || wsRec.status === "cancelled")) {
    drafts.push(
      workstreamEvent(ws, wsRec.status, "executing", "manual_retry", {
        manual: true,
        actor,
        metadata: { task_id: taskId, record: { last_error: null } },
      }),
    );
  }
  return store.commit(drafts);
}

/**
 * `weft cancel <task|ws>` when no run is active: the task (or every active task of the workstream, and the
 * workstream) → cancelled (`user_cancelled`, manual_override); pending dependents of a cancelled task → blocked.
 */
export function applyManualCancel(store: StateStorePort, id: string, actor: string): readonly EventLine[] {
  const drafts: EventDraft[] = [];
  const task = store.model.tasks.get(id);
  const blockDependents = (rootId: string): void => {
    const status = new Map<string, string>([...store.model.tasks.values()].map((t) => [t.task_id, t.status]));
    for (const d of drafts) if (d.entity_type === "task" && d.to_state) status.set(d.entity_id, d.to_state);
    let changed = true;
    while (changed) {
      changed = false;
      for (const t of store.model.tasks.values()) {
        if (status.get(t.task_id) !== "pending") continue;
        if (
          !t.dependencies.some(
            (d) => d === rootId || ["cancelled", "failed", "blocked"].includes(status.get(d) ?? ""),
          )
        )
          continue;
        drafts.push(
          taskEvent(t.task_id, "pending", "blocked", "dependency_failed", {
            workstream_id: t.workstream_id,
            manual: true,
            actor,
            metadata: { blocked_by: rootId },
          }),
        );
        status.set(t.task_id, "blocked");
        changed = true;
      }
    }
  };
  if (task) {
    if (TERMINAL.has(task.status)) return [];
    drafts.push(
      taskEvent(id, task.status, "cancelled", "user_cancelled", {
        workstream_id: task.workstream_id,
        manual: true,
        actor,
      }),
    );
    blockDependents(id);
    return store.commit(drafts);
  }
  const ws = store.model.workstreams.get(id);
  if (!ws)
    throw new WeftError("SCHED_TASK_NOT_FOUND", `no task or workstream '${id}' in .state`, {
      hint: "run `weft status` to list them",
    });
  if (TERMINAL.has(ws.status)) return [];
  drafts.push(workstreamEvent(id, ws.status, "cancelled", "user_cancelled", { manual: true, actor }));
  for (const t of store.model.tasks.values()) {
    if (t.workstream_id !== id || TERMINAL.has(t.status)) continue;
    drafts.push(
      taskEvent(t.task_id, t.status as TaskStatus, "cancelled", "user_cancelled", {
        workstream_id: id,
        manual: true,
        actor,
      }),
    );
  }
  return store.commit(drafts);
}
