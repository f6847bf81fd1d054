import { z } from "zod";
import { Isolation, MergeStrategy } from "./workstream-definition.js";

export const WorkerCapabilityDecl = z.object({
  name: z.string().min(1),
  version: z.string().default("1.0.0"),
});
export type WorkerCapabilityDecl = z.infer<typeof WorkerCapabilityDecl>;

export const RetentionConfig = z.object({
  /** Live transitions.jsonl keeps at least this many days (AUDIT-002). */
  live_days: z.number().int().positive().default(90),
  /** Closed segments rotate daily (UTC) or when the live log exceeds this size. */
  rotate_max_mb: z.number().positive().default(100),
  archive_days: z.number().int().positive().default(365),
  task_log_days: z.number().int().positive().default(30),
  metrics_days: z.number().int().positive().default(30),
});
export type RetentionConfig = z.infer<typeof RetentionConfig>;

export const AiderConfig = z.object({
  binary: z.string().default("aider"),
  model: z.string().optional(),
  extra_args: z.array(z.string()).default([]),
  /** Names of environment variables (API keys) passed to Aider. Values are never recorded. */
  api_key_env: z.array(z.string()).default(["OPENAI_API_KEY", "ANTHROPIC_API_KEY"]),
  env_allowlist: z.array(z.string()).default([]),
  allow_repo_config: z.boolean().default(false),
  idle_timeout_seconds: z.number().positive().optional(),
});
export type AiderConfig = z.infer<typeof AiderConfig>;

/** `weft.config.json`: orchestrator settings. Absent → every default applies. */
export const WeftConfig = z.looseObject({
  schema_version: z.literal("1.0.0").default("1.0.0"),
  schema_url: z.string().optional(),
  workers: z
    .object({
      /** Local workers; default: the number of CPU cores. */
      count: z.number().int().positive().optional(),
      capabilities: z.array(WorkerCapabilityDecl).default([]),
      heartbeat_seconds: z.number().positive().default(10),
      unresponsive_after_missed: z.number().int().positive().default(3),
      shutdown_after_seconds: z.number().positive().default(180),
    })
    .default({
      capabilities: [],
      heartbeat_seconds: 10,
      unresponsive_after_missed: 3,
      shutdown_after_seconds: 180,
    }),
  defaults: z
    .object({
      timeout_seconds: z.number().positive().default(600),
      max_retry_delay_seconds: z.number().nonnegative().default(300),
      kill_grace_seconds: z.number().nonnegative().default(5),
      estimate_seconds_by_type: z
        .record(z.string(), z.number().nonnegative())
        .default({ aider: 120, lint: 20, pytest: 60, custom: 30 }),
    })
    .default({
      timeout_seconds: 600,
      max_retry_delay_seconds: 300,
      kill_grace_seconds: 5,
      estimate_seconds_by_type: { aider: 120, lint: 20, pytest: 60, custom: 30 },
    }),
  /** Gate rule name → shell command run in the worktree (DESIGN §4). `git_clean` is built in. */
  gates: z.record(z.string(), z.string()).default({}),
  /** PIPELINE: AI fix attempts after a failed post-execution gate of an aider task. */
  fix_attempts: z.number().int().nonnegative().default(2),
  isolation: Isolation.default("worktree"),
  worktrees: z.object({ root: z.string().default(".weft/worktrees") }).default({ root: ".weft/worktrees" }),
  merge: z.object({ strategy: MergeStrategy.default("merge") }).default({ strategy: "merge" }),
  starvation_threshold_seconds: z.number().positive().default(300),
  aider: AiderConfig.default({
    binary: "aider",
    extra_args: [],
    api_key_env: ["OPENAI_API_KEY", "ANTHROPIC_API_KEY"],
    env_allowlist: [],
    allow_repo_config: false,
  }),
  state: z
    .object({
      /** Group-commit window (STATE-OBS-003): every transition is in a snapshot within this many ms. */
      group_commit_ms: z.number().int().positive().max(250).default(100),
      hash_chain: z.boolean().default(true),
      recent_events_max: z.number().int().positive().default(200),
    })
    .default({ group_commit_ms: 100, hash_chain: true, recent_events_max: 200 }),
  retention: RetentionConfig.default({
    live_days: 90,
    rotate_max_mb: 100,
    archive_days: 365,
    task_log_days: 30,
    metrics_days: 30,
  }),
  metrics: z
    .object({ interval_seconds: z.number().positive().default(60), prefix: z.string().default("weft_") })
    .default({ interval_seconds: 60, prefix: "weft_" }),
});
export type WeftConfig = z.infer<typeof WeftConfig>;

/** The configuration used when a repo has no weft.config.json. */
export function defaultConfig(): WeftConfig {
  return WeftConfig.parse({});
}
