import { z } from "zod";

/** Why an attempt failed (AIDER-INT-003 `error.type`, plus the command runner's kinds). */
export const AttemptErrorType = z.enum([
  "timeout",
  "process_error",
  "config_error",
  "boundary_violation",
  "insufficient_context",
  "rate_limit",
  "auth_error",
  "api_error",
  "context_window_exceeded",
  "edit_format_error",
  "no_changes",
  "context_overflow",
  "execution_failed",
  "validation_failed",
  "cancelled",
  "worker_lost",
]);
export type AttemptErrorType = z.infer<typeof AttemptErrorType>;

export const AttemptError = z.object({
  type: AttemptErrorType,
  message: z.string(),
  /** For insufficient_context: the paths the agent asked for. */
  requested_files: z.array(z.string()).optional(),
});
export type AttemptError = z.infer<typeof AttemptError>;

/** The result contract of one attempt (AIDER-INT-003); command tasks fill it too. */
export const AttemptResult = z.object({
  status: z.enum(["success", "failure"]),
  files_modified: z.array(z.string()).default([]),
  diff_summary: z.string().default(""),
  validation_status: z.enum(["pending", "passed", "failed"]).default("pending"),
  commit_message: z.string().default(""),
  error: AttemptError.nullable().default(null),
  metadata: z.looseObject({
    tokens_used: z.number().int().nonnegative().default(0),
    cost_usd: z.number().nonnegative().optional(),
    duration_seconds: z.number().nonnegative(),
    model: z.string().optional(),
    aider_version: z.string().optional(),
    exit_code: z.number().int().nullable().optional(),
  }),
});
export type AttemptResult = z.infer<typeof AttemptResult>;
