import {
  type EventDraft,
  type EventType,
  requireTransition,
  type StateMachine,
  TASK_MACHINE,
  WORKER_MACHINE,
  WORKSTREAM_MACHINE,
} from "@weft/core-schema";

/** Extra fields of a transition event. */
export interface TransitionExtras {
  readonly workstream_id?: string;
  readonly task_id?: string;
  readonly worker_id?: string;
  readonly actor?: string;
  readonly caused_by?: string;
  readonly metadata?: Record<string, unknown>;
  /** Caused by a person (`weft retry`, `weft cancel`): event_type `manual_override`. */
  readonly manual?: boolean;
  /** Overrides the transition's severity (e.g. a context overflow counted as error). */
  readonly severity?: EventDraft["severity"];
  /** Overrides the transition's event name (e.g. `worker_lost` on a task, `context_overflow`). */
  readonly event?: string;
}

const TYPE_OF: Record<StateMachine["id"], EventType> = {
  task: "task_state_transition",
  workstream: "workstream_state_transition",
  worker: "worker_state_transition",
};

/**
 * Builds the event for a state change FROM the machine's transition definition (event name, severity): an illegal
 * transition throws a plain Error — a bug in weft that fails loudly in tests (SM-DEF-001..003).
 */
export function transitionEvent(
  machine: StateMachine,
  entityId: string,
  from: string,
  to: string,
  trigger: string,
  extras: TransitionExtras = {},
): EventDraft {
  const def = requireTransition(machine, from, to, trigger, { manual: extras.manual === true });
  const draft: EventDraft = {
    event: extras.event ?? def.event,
    event_type: extras.manual ? "manual_override" : TYPE_OF[machine.id],
    severity: extras.severity ?? def.severity,
    entity_type: machine.id,
    entity_id: entityId,
    from_state: from,
    to_state: to,
    trigger,
    actor: extras.actor ?? "system",
    metadata: extras.metadata ?? {},
  };
  if (extras.workstream_id !== undefined) draft.workstream_id = extras.workstream_id;
  if (extras.task_id !== undefined) draft.task_id = extras.task_id;
  else if (machine.id === "task") draft.task_id = entityId;
  if (extras.worker_id !== undefined) draft.worker_id = extras.worker_id;
  else if (machine.id === "worker") draft.worker_id = entityId;
  if (extras.caused_by !== undefined) draft.caused_by = extras.caused_by;
  return draft;
}

export const taskEvent = (
  id: string,
  from: string,
  to: string,
  trigger: string,
  extras?: TransitionExtras,
): EventDraft => transitionEvent(TASK_MACHINE, id, from, to, trigger, extras);
export const workstreamEvent = (
  id: string,
  from: string,
  to: string,
  trigger: string,
  extras?: TransitionExtras,
): EventDraft => transitionEvent(WORKSTREAM_MACHINE, id, from, to, trigger, { workstream_id: id, ...extras });
export const workerEvent = (
  id: string,
  from: string,
  to: string,
  trigger: string,
  extras?: TransitionExtras,
): EventDraft => transitionEvent(WORKER_MACHINE, id, from, to, trigger, extras);

/** A non-transition event (entity creation, resource changes, system notices). */
export function plainEvent(
  event: string,
  eventType: EventType,
  severity: EventDraft["severity"],
  entityType: EventDraft["entity_type"],
  entityId: string,
  metadata: Record<string, unknown> = {},
  extras: Pick<EventDraft, "workstream_id" | "task_id" | "worker_id" | "actor"> = {},
): EventDraft {
  return {
    event,
    event_type: eventType,
    severity,
    entity_type: entityType,
    entity_id: entityId,
    metadata,
    ...extras,
  };
}
