import { z } from "zod";
import { IsoTimestamp } from "./ids.js";

/** `.state/dag_{ws}.json` (DAG-VIEW-001). Edges go prerequisite → dependent. */
export const DagDocument = z.object({
  schema_version: z.literal("1.0.0"),
  workstream_id: z.string(),
  generated_at: IsoTimestamp,
  nodes: z.array(z.object({ task_id: z.string(), name: z.string(), type: z.string(), status: z.string() })),
  edges: z.array(z.object({ from: z.string(), to: z.string(), type: z.literal("depends_on") })),
  topological_order: z.array(z.string()),
});
export type DagDocument = z.infer<typeof DagDocument>;

/** `.state/execution_plan_{ws}.json` (DAG-VIEW-002). */
export const ExecutionPlan = z.object({
  schema_version: z.literal("1.0.0"),
  workstream_id: z.string(),
  generated_at: IsoTimestamp,
  stages: z.array(
    z.object({
      stage: z.number().int().nonnegative(),
      parallel_tasks: z.array(z.string()),
      max_parallelism: z.number().int().nonnegative(),
      estimated_duration_seconds: z.number().nonnegative(),
      critical_path: z.array(z.string()),
      resource_requirements: z.record(z.string(), z.union([z.number(), z.string()])),
    }),
  ),
  total_estimated_duration: z.number().nonnegative(),
  critical_path_duration: z.number().nonnegative(),
  critical_path_tasks: z.array(z.string()),
});
export type ExecutionPlan = z.infer<typeof ExecutionPlan>;

/** `.state/metrics.json` (OBS-001). "today" is the UTC day. */
export const MetricsDocument = z.object({
  schema_version: z.literal("1.0.0"),
  timestamp: IsoTimestamp,
  workstreams: z.object({
    active: z.number().int(),
    completed_today: z.number().int(),
    failed_today: z.number().int(),
  }),
  tasks: z.object({
    pending: z.number().int(),
    queued: z.number().int(),
    running: z.number().int(),
    validating: z.number().int(),
    retrying: z.number().int(),
    blocked: z.number().int(),
    completed: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
    avg_duration_seconds: z.number().nonnegative(),
    completion_rate_per_hour: z.number().nonnegative(),
  }),
  workers: z.object({
    total: z.number().int(),
    idle: z.number().int(),
    busy: z.number().int(),
    unresponsive: z.number().int(),
    avg_utilization: z.number().min(0).max(1),
  }),
  errors: z.record(z.string(), z.number().int()),
  tokens_used: z.number().nonnegative(),
  cost_usd: z.number().nonnegative(),
});
export type MetricsDocument = z.infer<typeof MetricsDocument>;
