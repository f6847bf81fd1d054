import type { Severity } from "./event-line.js";

/** One allowed transition of a state machine (SM-DEF-001..003). */
export interface TransitionDef {
  readonly from: readonly string[];
  readonly to: string;
  readonly trigger: string;
  /** The event name recorded for it. */
  readonly event: string;
  readonly severity: Severity;
  /** The condition that must hold, in words (checked by the scheduler). */
  readonly guard: string;
  /** Only a person may cause it (event_type manual_override). */
  readonly manual?: boolean;
}

export interface StateMachine {
  readonly id: "task" | "workstream" | "worker";
  readonly requirement: string;
  readonly states: readonly string[];
  readonly initial: string;
  readonly terminal: readonly string[];
  readonly transitions: readonly TransitionDef[];
}

const ACTIVE_TASK = ["pending", "blocked", "queued", "running", "validating", "retrying"] as const;

/** SM-DEF-001: the task lifecycle of SPEC §4. */
export const TASK_MACHINE: StateMachine = {
  id: "task",
  requirement: "SM-DEF-001",
  states: [
    "pending",
    "blocked",
    "queued",
    "running",
    "validating",
    "retrying",
    "completed",
    "failed",
    "cancelled",
  ],
  initial: "pending",
  terminal: ["completed", "failed", "cancelled"],
  transitions: [
    {
      from: ["pending"],
      to: "queued",
      trigger: "scheduler_assigned",
      event: "task_queued",
      severity: "info",
      guard: "all dependencies completed",
    },
    {
      from: ["pending"],
      to: "blocked",
      trigger: "dependency_failed",
      event: "task_blocked",
      severity: "warning",
      guard: "a dependency ended failed or cancelled",
    },
    {
      from: ["blocked"],
      to: "pending",
      trigger: "dependency_recovered",
      event: "task_unblocked",
      severity: "info",
      guard: "the failed dependency was retried by a person",
    },
    {
      from: ["queued"],
      to: "running",
      trigger: "worker_started",
      event: "task_started",
      severity: "info",
      guard: "a worker with the capabilities and all resources acquired together",
    },
    {
      from: ["queued"],
      to: "failed",
      trigger: "pre_execution_failed",
      event: "task_failed",
      severity: "error",
      guard: "a pre-execution rule failed",
    },
    {
      from: ["queued"],
      to: "failed",
      trigger: "context_overflow",
      event: "context_overflow",
      severity: "error",
      guard: "required files exceed max_context_tokens (no retry: the definition must change)",
    },
    {
      from: ["running"],
      to: "validating",
      trigger: "execution_completed",
      event: "task_validating",
      severity: "info",
      guard: "the command succeeded (agents: classified success, not exit code alone)",
    },
    {
      from: ["running"],
      to: "retrying",
      trigger: "execution_failed",
      event: "task_retry",
      severity: "warning",
      guard: "retry_count < max_retries",
    },
    {
      from: ["running"],
      to: "retrying",
      trigger: "task_timeout",
      event: "task_timeout",
      severity: "warning",
      guard: "retry_count < max_retries",
    },
    {
      from: ["running"],
      to: "retrying",
      trigger: "worker_lost",
      event: "task_retry",
      severity: "warning",
      guard: "retry_count < max_retries",
    },
    {
      from: ["running"],
      to: "failed",
      trigger: "execution_failed",
      event: "task_failed",
      severity: "error",
      guard: "retry_count >= max_retries",
    },
    {
      from: ["running"],
      to: "failed",
      trigger: "task_timeout",
      event: "task_timeout",
      severity: "error",
      guard: "retry_count >= max_retries",
    },
    {
      from: ["running"],
      to: "failed",
      trigger: "worker_lost",
      event: "task_failed",
      severity: "error",
      guard: "retry_count >= max_retries",
    },
    {
      from: ["validating"],
      to: "completed",
      trigger: "validation_passed",
      event: "task_completed",
      severity: "info",
      guard: "all post-execution rules pass",
    },
    {
      from: ["validating"],
      to: "retrying",
      trigger: "validation_failed",
      event: "validation_failed",
      severity: "warning",
      guard: "a PIPELINE fix attempt remains (agent tasks)",
    },
    {
      from: ["validating"],
      to: "failed",
      trigger: "validation_failed",
      event: "validation_failed",
      severity: "error",
      guard: "no fix attempt left",
    },
    {
      from: ["retrying"],
      to: "queued",
      trigger: "retry_delay_elapsed",
      event: "task_queued",
      severity: "info",
      guard: "the backoff delay has elapsed",
    },
    {
      from: ACTIVE_TASK,
      to: "cancelled",
      trigger: "user_cancelled",
      event: "task_cancelled",
      severity: "warning",
      guard: "a person cancelled it; running work is killed",
      manual: true,
    },
    {
      from: ["running", "validating"],
      to: "queued",
      trigger: "orchestrator_restarted",
      event: "task_requeued",
      severity: "warning",
      guard: "recovery after a crash; does not count as a retry",
    },
    {
      from: ["failed", "cancelled"],
      to: "pending",
      trigger: "manual_retry",
      event: "task_manual_retry",
      severity: "warning",
      guard: "`weft retry` by a person creates a new attempt",
      manual: true,
    },
  ],
};

/** SM-DEF-002: the workstream lifecycle of SPEC §5. */
export const WORKSTREAM_MACHINE: StateMachine = {
  id: "workstream",
  requirement: "SM-DEF-002",
  states: ["planned", "ready", "executing", "validating", "completed", "failed", "cancelled"],
  initial: "planned",
  terminal: ["completed", "failed", "cancelled"],
  transitions: [
    {
      from: ["planned"],
      to: "ready",
      trigger: "tasks_created",
      event: "workstream_ready",
      severity: "info",
      guard: "all tasks created and the DAG is valid",
    },
    {
      from: ["ready"],
      to: "executing",
      trigger: "first_task_started",
      event: "workstream_started",
      severity: "info",
      guard: "a task of the workstream started",
    },
    {
      from: ["executing"],
      to: "validating",
      trigger: "all_tasks_settled",
      event: "workstream_validating",
      severity: "info",
      guard: "every task settled and every critical task completed",
    },
    {
      from: ["executing"],
      to: "failed",
      trigger: "critical_task_failed",
      event: "workstream_failed",
      severity: "error",
      guard: "a critical task failed after its retries",
    },
    {
      from: ["executing", "validating"],
      to: "failed",
      trigger: "workstream_timeout",
      event: "workstream_timeout",
      severity: "error",
      guard: "max_duration_seconds exceeded",
    },
    {
      from: ["validating"],
      to: "completed",
      trigger: "validation_passed",
      event: "workstream_completed",
      severity: "info",
      guard: "final validation and merge succeeded",
    },
    {
      from: ["validating"],
      to: "failed",
      trigger: "validation_failed",
      event: "workstream_failed",
      severity: "error",
      guard: "a final_validation gate failed",
    },
    {
      from: ["validating"],
      to: "failed",
      trigger: "merge_conflict",
      event: "merge_conflict",
      severity: "error",
      guard: "merging into the target conflicted; the target is untouched",
    },
    {
      from: ["planned", "ready", "executing", "validating"],
      to: "cancelled",
      trigger: "user_cancelled",
      event: "workstream_cancelled",
      severity: "warning",
      guard: "a person cancelled it",
      manual: true,
    },
    {
      from: ["failed", "cancelled"],
      to: "executing",
      trigger: "manual_retry",
      event: "workstream_resumed",
      severity: "warning",
      guard: "a person retried one of its tasks",
      manual: true,
    },
    {
      from: ["validating"],
      to: "executing",
      trigger: "task_reopened",
      event: "workstream_resumed",
      severity: "info",
      guard: "a task became active again (PIPELINE or manual retry)",
    },
  ],
};

/** SM-DEF-003: the worker lifecycle of SPEC §6. */
export const WORKER_MACHINE: StateMachine = {
  id: "worker",
  requirement: "SM-DEF-003",
  states: ["initializing", "idle", "busy", "unresponsive", "shutdown"],
  initial: "initializing",
  terminal: ["shutdown"],
  transitions: [
    {
      from: ["initializing"],
      to: "idle",
      trigger: "registered",
      event: "worker_ready",
      severity: "info",
      guard: "capabilities detected",
    },
    {
      from: ["idle"],
      to: "busy",
      trigger: "task_assigned",
      event: "worker_busy",
      severity: "info",
      guard: "one running task per worker",
    },
    {
      from: ["busy"],
      to: "idle",
      trigger: "task_finished",
      event: "worker_idle",
      severity: "info",
      guard: "its task left running",
    },
    {
      from: ["idle", "busy"],
      to: "unresponsive",
      trigger: "heartbeat_missed",
      event: "worker_unresponsive",
      severity: "critical",
      guard: "3 heartbeats missed",
    },
    {
      from: ["unresponsive"],
      to: "idle",
      trigger: "heartbeat_recovered",
      event: "worker_recovered",
      severity: "warning",
      guard: "a heartbeat arrived again",
    },
    {
      from: ["unresponsive"],
      to: "shutdown",
      trigger: "unresponsive_timeout",
      event: "worker_lost",
      severity: "critical",
      guard: "unresponsive for 180 s; its task is re-queued as worker_lost",
    },
    {
      from: ["idle", "busy", "initializing"],
      to: "shutdown",
      trigger: "shutdown_requested",
      event: "worker_shutdown",
      severity: "info",
      guard: "the run ended or a person stopped it",
    },
    {
      from: ["idle", "busy", "initializing"],
      to: "shutdown",
      trigger: "crashed",
      event: "worker_crashed",
      severity: "critical",
      guard: "the worker process died",
    },
  ],
};

export const STATE_MACHINES = {
  task: TASK_MACHINE,
  workstream: WORKSTREAM_MACHINE,
  worker: WORKER_MACHINE,
} as const;

export type TransitionCheck =
  | { readonly ok: true; readonly transition: TransitionDef }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks a proposed transition against a machine (pure). `trigger` may be omitted to accept any trigger
 * between the two states; a manual transition needs `manual: true`.
 */
export function checkTransition(
  machine: StateMachine,
  from: string,
  to: string,
  trigger?: string,
  options: { readonly manual?: boolean } = {},
): TransitionCheck {
  if (!machine.states.includes(from)) return { ok: false, reason: `unknown ${machine.id} state '${from}'` };
  if (!machine.states.includes(to)) return { ok: false, reason: `unknown ${machine.id} state '${to}'` };
  const candidates = machine.transitions.filter((t) => t.to === to && t.from.includes(from));
  if (candidates.length === 0) {
    const terminal = machine.terminal.includes(from) ? ` ('${from}' is terminal)` : "";
    return { ok: false, reason: `${machine.id} cannot go from '${from}' to '${to}'${terminal}` };
  }
  const matching = trigger === undefined ? candidates : candidates.filter((t) => t.trigger === trigger);
  if (matching.length === 0) {
    const allowed = candidates.map((t) => t.trigger).join(", ");
    return {
      ok: false,
      reason: `${machine.id} '${from}' → '${to}' is not caused by '${trigger}' (allowed: ${allowed})`,
    };
  }
  const transition = matching.find((t) => !t.manual || options.manual === true);
  if (!transition)
    return { ok: false, reason: `${machine.id} '${from}' → '${to}' may only be caused by a person` };
  return { ok: true, transition };
}

/** Finds the transition definition for (from, to, trigger); throws a plain Error (a bug) when illegal. */
export function requireTransition(
  machine: StateMachine,
  from: string,
  to: string,
  trigger: string,
  options: { readonly manual?: boolean } = {},
): TransitionDef {
  const check = checkTransition(machine, from, to, trigger, options);
  if (!check.ok) throw new Error(`illegal transition: ${check.reason}`);
  return check.transition;
}
