import type {
  CurrentState,
  ResourceRecord,
  RunRecord,
  TaskRecord,
  WorkerRecord,
  WorkstreamRecord,
} from "./current-state.js";
import { STATE_SCHEMA_VERSION } from "./current-state.js";
import type { EventLine } from "./event-line.js";

/**
 * The in-memory state that `.state/current.json` serializes (STATE-OBS-001). Maps keep insertion order, so
 * snapshots list entities in the order they were registered.
 *
 * The only way to change it is {@link applyEvent}: the orchestrator's state and a replay of the log are
 * the same function of the same events, which is what makes `weft replay` and crash recovery exact.
 */
export interface StateModel {
  seq: number;
  timestamp: string;
  run: RunRecord | null;
  readonly tasks: Map<string, TaskRecord>;
  readonly workstreams: Map<string, WorkstreamRecord>;
  readonly workers: Map<string, WorkerRecord>;
  readonly resources: Map<string, ResourceRecord>;
}

/** Which entity an event changed (lets the state store re-serialize only what changed). */
export interface ChangedEntity {
  readonly entity_type: EventLine["entity_type"];
  readonly entity_id: string;
}

export const EPOCH = "1970-01-01T00:00:00.000Z";

export function createStateModel(): StateModel {
  return {
    seq: 0,
    timestamp: EPOCH,
    run: null,
    tasks: new Map(),
    workstreams: new Map(),
    workers: new Map(),
    resources: new Map(),
  };
}

const TERMINAL_TASK = new Set(["completed", "failed", "cancelled"]);
const TERMINAL_WS = new Set(["completed", "failed", "cancelled"]);

function recordPatch(event: EventLine): Record<string, unknown> {
  const r = event.metadata.record;
  return r !== null && typeof r === "object" && !Array.isArray(r) ? (r as Record<string, unknown>) : {};
}

function newTask(event: EventLine): TaskRecord {
  return {
    task_id: event.entity_id,
    workstream_id: event.workstream_id ?? "",
    name: "",
    type: "custom",
    status: "pending",
    critical: true,
    priority: 0,
    dependencies: [],
    max_retries: 0,
    retry_count: 0,
    attempt: 0,
    created_at: event.timestamp,
    started_at: null,
    completed_at: null,
    assigned_worker: null,
    last_error: null,
    duration_seconds: null,
    tokens_used: 0,
    cost_usd: 0,
  };
}

function applyTask(model: StateModel, event: EventLine): void {
  const existing = model.tasks.get(event.entity_id);
  const rec: TaskRecord = { ...(existing ?? newTask(event)), ...recordPatch(event) } as TaskRecord;
  const to = event.to_state;
  if (to !== null) {
    rec.status = to as TaskRecord["status"];
    if (to === "running") {
      rec.assigned_worker = event.worker_id ?? rec.assigned_worker;
      rec.started_at = event.timestamp;
      rec.completed_at = null;
    } else {
      rec.assigned_worker = null;
    }
    if (TERMINAL_TASK.has(to)) rec.completed_at = event.timestamp;
    if (to === "pending" || to === "queued") rec.completed_at = null;
  }
  model.tasks.set(rec.task_id, rec);
}

function applyWorkstream(model: StateModel, event: EventLine): void {
  const existing = model.workstreams.get(event.entity_id);
  const base: WorkstreamRecord = existing ?? {
    workstream_id: event.entity_id,
    name: "",
    status: "planned",
    depends_on: [],
    isolation: "worktree",
    branch: null,
    worktree: null,
    started_at: null,
    completed_at: null,
    last_error: null,
  };
  const rec = { ...base, ...recordPatch(event) } as WorkstreamRecord;
  const to = event.to_state;
  if (to !== null) {
    rec.status = to as WorkstreamRecord["status"];
    if (to === "executing" && rec.started_at === null) rec.started_at = event.timestamp;
    if (TERMINAL_WS.has(to)) rec.completed_at = event.timestamp;
    else rec.completed_at = null;
  }
  model.workstreams.set(rec.workstream_id, rec);
}

function applyWorker(model: StateModel, event: EventLine): void {
  const existing = model.workers.get(event.entity_id);
  const base: WorkerRecord = existing ?? {
    worker_id: event.entity_id,
    status: "initializing",
    capabilities: [],
    current_task: null,
    last_heartbeat: null,
    host: "",
    tasks_completed: 0,
  };
  const rec = { ...base, ...recordPatch(event) } as WorkerRecord;
  if (event.to_state !== null) rec.status = event.to_state as WorkerRecord["status"];
  model.workers.set(rec.worker_id, rec);
}

function applyResource(model: StateModel, event: EventLine): void {
  const existing = model.resources.get(event.entity_id);
  const base: ResourceRecord = existing ?? {
    resource_id: event.entity_id,
    type: "exclusive",
    capacity: 1,
    holders: [],
    tokens_left: null,
  };
  model.resources.set(event.entity_id, { ...base, ...recordPatch(event) } as ResourceRecord);
}

/**
 * Applies one event to the model (pure apart from mutating `model`). Rules:
 * - `metadata.record` (an object) is merged into the entity's record; the first event about an entity creates it;
 * - `to_state` sets the entity's status; for tasks, `running` sets `assigned_worker` (from `worker_id`) and
 *   `started_at`, leaving `running` clears `assigned_worker` (SPEC §4 invariant), a terminal state sets
 *   `completed_at`;
 * - `entity_type: "run"` merges into `run`; `system` events only advance `seq`/`timestamp`.
 */
export function applyEvent(model: StateModel, event: EventLine): ChangedEntity {
  switch (event.entity_type) {
    case "task":
      applyTask(model, event);
      break;
    case "workstream":
      applyWorkstream(model, event);
      break;
    case "worker":
      applyWorker(model, event);
      break;
    case "resource":
      applyResource(model, event);
      break;
    case "run":
      model.run = { ...(model.run ?? {}), ...recordPatch(event) } as RunRecord;
      break;
    case "system":
      break;
  }
  model.seq = event.seq;
  model.timestamp = event.timestamp;
  return { entity_type: event.entity_type, entity_id: event.entity_id };
}

/** Replays events (oldest first) into a fresh model; stops after the last event at or before `until` (ISO). */
export function replayEvents(events: Iterable<EventLine>, until?: string): StateModel {
  const model = createStateModel();
  for (const e of events) {
    if (until !== undefined && e.timestamp > until) break;
    applyEvent(model, e);
  }
  return model;
}

/** Builds a model from a parsed snapshot. */
export function modelFromSnapshot(snapshot: CurrentState): StateModel {
  return {
    seq: snapshot.seq,
    timestamp: snapshot.timestamp,
    run: snapshot.run,
    tasks: new Map(snapshot.tasks.map((t) => [t.task_id, t])),
    workstreams: new Map(snapshot.workstreams.map((w) => [w.workstream_id, w])),
    workers: new Map(snapshot.workers.map((w) => [w.worker_id, w])),
    resources: new Map(snapshot.resources.map((r) => [r.resource_id, r])),
  };
}

/** Serializable snapshot of a model (`recent_events` supplied by the state store). */
export function snapshotFromModel(
  model: StateModel,
  recentEvents: CurrentState["recent_events"] = [],
): CurrentState {
  return {
    schema_version: STATE_SCHEMA_VERSION,
    timestamp: model.timestamp,
    seq: model.seq,
    run: model.run,
    workstreams: [...model.workstreams.values()],
    tasks: [...model.tasks.values()],
    workers: [...model.workers.values()],
    resources: [...model.resources.values()],
    recent_events: recentEvents,
  };
}
