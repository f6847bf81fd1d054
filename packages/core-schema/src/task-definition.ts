import { z } from "zod";
import { Id, IsoTimestamp, SemVer } from "./ids.js";

/** Task types (SPEC §3). Phases are expressed through types: aider = EDIT, lint = STATIC, pytest = RUNTIME. */
export const TaskType = z.enum(["aider", "pytest", "lint", "custom"]);
export type TaskType = z.infer<typeof TaskType>;

/** The nine task states of SM-DEF-001 (SPEC §4). */
export const TaskStatus = z.enum([
  "pending",
  "blocked",
  "queued",
  "running",
  "validating",
  "retrying",
  "completed",
  "failed",
  "cancelled",
]);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** CONC-REG-002: `"exclusive"`, `"shared"` or a number of units/tokens. */
export const ResourceRequirement = z.union([
  z.literal("exclusive"),
  z.literal("shared"),
  z.number().int().positive(),
]);
export type ResourceRequirement = z.infer<typeof ResourceRequirement>;

export const WorkerRequirements = z.object({
  capabilities: z.array(z.string().min(1)).default([]),
  min_version: SemVer.optional(),
});
export type WorkerRequirements = z.infer<typeof WorkerRequirements>;

export const TaskExecution = z.object({
  command: z.string().default(""),
  prompt: z.string().optional(),
  working_directory: z.string().default("."),
  timeout_seconds: z.number().positive().default(600),
  max_retries: z.number().int().nonnegative().default(0),
  retry_delay_seconds: z.number().nonnegative().default(10),
  max_retry_delay_seconds: z.number().nonnegative().optional(),
});
export type TaskExecution = z.infer<typeof TaskExecution>;

export const ContextRequirements = z.object({
  max_context_tokens: z.number().int().positive().default(8000),
  required_files: z.array(z.string().min(1)).default([]),
  optional_files: z.array(z.string().min(1)).default([]),
  exclude_patterns: z.array(z.string().min(1)).default([]),
});
export type ContextRequirements = z.infer<typeof ContextRequirements>;

export const ValidationRules = z.object({
  pre_execution: z.array(z.string().min(1)).default([]),
  post_execution: z.array(z.string().min(1)).default([]),
});
export type ValidationRules = z.infer<typeof ValidationRules>;

/** The `state` block as a user writes it (usually all empty). */
export const TaskDefinitionState = z.object({
  created_at: IsoTimestamp.or(z.string()).nullable().optional(),
  started_at: z.string().nullable().optional(),
  completed_at: z.string().nullable().optional(),
  assigned_worker: z.string().nullable().optional(),
  retry_count: z.number().int().nonnegative().optional(),
  last_error: z.unknown().optional(),
});

const taskCommon = {
  schema_url: z.string().optional(),
  task_id: Id,
  workstream_id: Id,
  name: z.string().min(1),
  description: z.string().default(""),
  type: TaskType,
  status: TaskStatus.default("pending"),
  dependencies: z.array(Id).default([]),
  blocks: z.array(Id).default([]),
  /** SPEC §5 decision: tasks are critical unless they say otherwise. */
  critical: z.boolean().default(true),
  priority: z.number().int().optional(),
  estimated_duration_seconds: z.number().nonnegative().optional(),
  worker_requirements: WorkerRequirements.default({ capabilities: [] }),
  execution: TaskExecution.default({
    command: "",
    working_directory: ".",
    timeout_seconds: 600,
    max_retries: 0,
    retry_delay_seconds: 10,
  }),
  resource_requirements: z.record(Id, ResourceRequirement).default({}),
  state: TaskDefinitionState.optional(),
};

/** Task definition, schema 1.0.0 (TASK-DEF-001): no context_requirements, no validation_rules. */
export const TaskDefinitionV1 = z.looseObject({
  schema_version: z.literal("1.0.0").optional(),
  ...taskCommon,
});
export type TaskDefinitionV1 = z.infer<typeof TaskDefinitionV1>;

/** Task definition, schema 2.0.0 (TASK-DEF-001/002) — the current version. */
export const TaskDefinition = z
  .looseObject({
    schema_version: z.literal("2.0.0"),
    ...taskCommon,
    context_requirements: ContextRequirements.default({
      max_context_tokens: 8000,
      required_files: [],
      optional_files: [],
      exclude_patterns: [],
    }),
    validation_rules: ValidationRules.default({ pre_execution: [], post_execution: [] }),
  })
  .superRefine((task, ctx) => {
    if (task.type !== "aider" && task.execution.command.trim() === "") {
      ctx.addIssue({
        code: "custom",
        path: ["execution", "command"],
        message: `a ${task.type} task needs execution.command (the command to run)`,
      });
    }
    if (task.dependencies.includes(task.task_id)) {
      ctx.addIssue({ code: "custom", path: ["dependencies"], message: "a task cannot depend on itself" });
    }
  });
export type TaskDefinition = z.infer<typeof TaskDefinition>;

/** Schema versions of task definitions that weft reads (SCHEMA-VER-001). */
export const TASK_SCHEMA_VERSIONS = ["1.0.0", "2.0.0"] as const;
export const CURRENT_TASK_SCHEMA_VERSION = "2.0.0";

/** Top-level fields a task definition may carry; others are warnings (SPEC §3, forward compatibility). */
export const KNOWN_TASK_FIELDS: ReadonlySet<string> = new Set([
  "schema_version",
  "context_requirements",
  "validation_rules",
  /** Per-task Aider overrides (model, extra_args), validated by @weft/adapter-aider. */
  "aider",
  ...Object.keys(taskCommon),
]);
