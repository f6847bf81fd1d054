import { z } from "zod";
import { AttemptError } from "./attempt-result.js";
import { EventLine } from "./event-line.js";
import { IsoTimestamp } from "./ids.js";
import { ResourceType } from "./resource-registry.js";
import { TaskStatus, TaskType } from "./task-definition.js";
import { WorkstreamStatus } from "./workstream-definition.js";

export const WorkerStatus = z.enum(["initializing", "idle", "busy", "unresponsive", "shutdown"]);
export type WorkerStatus = z.infer<typeof WorkerStatus>;

export const STATE_SCHEMA_VERSION = "1.0.0";

/** A task as the orchestrator tracks it (current.json `tasks[]`). */
export const TaskRecord = z.looseObject({
  task_id: z.string(),
  workstream_id: z.string(),
  name: z.string().default(""),
  type: TaskType.or(z.string()),
  status: TaskStatus,
  critical: z.boolean().default(true),
  priority: z.number().default(0),
  dependencies: z.array(z.string()).default([]),
  max_retries: z.number().int().nonnegative().default(0),
  retry_count: z.number().int().nonnegative().default(0),
  /** Attempts started so far (first run = 1). Restarts after a crash do not count as retries. */
  attempt: z.number().int().nonnegative().default(0),
  created_at: z.string().nullable().default(null),
  started_at: z.string().nullable().default(null),
  completed_at: z.string().nullable().default(null),
  assigned_worker: z.string().nullable().default(null),
  last_error: AttemptError.nullable().default(null),
  duration_seconds: z.number().nullable().default(null),
  tokens_used: z.number().default(0),
  cost_usd: z.number().default(0),
});
export type TaskRecord = z.infer<typeof TaskRecord>;

export const WorkstreamRecord = z.looseObject({
  workstream_id: z.string(),
  name: z.string().default(""),
  status: WorkstreamStatus,
  depends_on: z.array(z.string()).default([]),
  isolation: z.enum(["worktree", "none"]).default("worktree"),
  branch: z.string().nullable().default(null),
  worktree: z.string().nullable().default(null),
  started_at: z.string().nullable().default(null),
  completed_at: z.string().nullable().default(null),
  last_error: z.string().nullable().default(null),
});
export type WorkstreamRecord = z.infer<typeof WorkstreamRecord>;

export const WorkerRecord = z.looseObject({
  worker_id: z.string(),
  status: WorkerStatus,
  capabilities: z.array(z.object({ name: z.string(), version: z.string() })).default([]),
  current_task: z.string().nullable().default(null),
  last_heartbeat: z.string().nullable().default(null),
  host: z.string().default(""),
  tasks_completed: z.number().int().nonnegative().default(0),
});
export type WorkerRecord = z.infer<typeof WorkerRecord>;

export const ResourceHolder = z.object({
  task_id: z.string(),
  mode: z.union([z.literal("exclusive"), z.literal("shared"), z.number()]),
});
export type ResourceHolder = z.infer<typeof ResourceHolder>;

export const ResourceRecord = z.looseObject({
  resource_id: z.string(),
  type: ResourceType,
  capacity: z.number().int(),
  holders: z.array(ResourceHolder).default([]),
  /** rate_limited only: tokens left in the bucket when the snapshot was written. */
  tokens_left: z.number().nullable().default(null),
});
export type ResourceRecord = z.infer<typeof ResourceRecord>;

export const RunRecord = z.looseObject({
  run_id: z.string(),
  started_at: z.string(),
  status: z.enum(["running", "completed", "failed", "interrupted", "crashed"]),
  pid: z.number().int(),
  host: z.string(),
  finished_at: z.string().nullable().default(null),
});
export type RunRecord = z.infer<typeof RunRecord>;

/** `.state/current.json` (STATE-OBS-001). */
export const CurrentState = z.object({
  schema_version: z.literal(STATE_SCHEMA_VERSION),
  timestamp: IsoTimestamp,
  /** The seq of the last event this snapshot reflects (0 = none). */
  seq: z.number().int().nonnegative(),
  run: RunRecord.nullable(),
  workstreams: z.array(WorkstreamRecord),
  tasks: z.array(TaskRecord),
  workers: z.array(WorkerRecord),
  resources: z.array(ResourceRecord),
  /** At least every event since the previous snapshot (STATE-OBS-003), oldest first. */
  recent_events: z.array(EventLine),
});
export type CurrentState = z.infer<typeof CurrentState>;

const indexCommon = {
  schema_version: z.literal(STATE_SCHEMA_VERSION),
  generated_at: IsoTimestamp,
  source_seq: z.number().int().nonnegative(),
  source_timestamp: IsoTimestamp,
};

/** `.state/by_workstream.json` (STATE-OBS-005). */
export const ByWorkstreamIndex = z.object({
  ...indexCommon,
  workstreams: z.record(
    z.string(),
    z.object({
      status: z.string(),
      tasks: z.array(z.string()),
      counts: z.record(z.string(), z.number().int()),
    }),
  ),
});
export type ByWorkstreamIndex = z.infer<typeof ByWorkstreamIndex>;

/** `.state/by_status.json` (STATE-OBS-005). */
export const ByStatusIndex = z.object({
  ...indexCommon,
  statuses: z.record(z.string(), z.array(z.string())),
});
export type ByStatusIndex = z.infer<typeof ByStatusIndex>;

/** `.state/by_worker.json` (STATE-OBS-005). */
export const ByWorkerIndex = z.object({
  ...indexCommon,
  workers: z.record(
    z.string(),
    z.object({ status: z.string(), current_task: z.string().nullable(), tasks: z.array(z.string()) }),
  ),
});
export type ByWorkerIndex = z.infer<typeof ByWorkerIndex>;
