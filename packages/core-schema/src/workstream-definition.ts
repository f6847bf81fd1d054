import { z } from "zod";
import { Id } from "./ids.js";

/** The seven workstream states of SM-DEF-002 (SPEC §5). */
export const WorkstreamStatus = z.enum([
  "planned",
  "ready",
  "executing",
  "validating",
  "completed",
  "failed",
  "cancelled",
]);
export type WorkstreamStatus = z.infer<typeof WorkstreamStatus>;

export const MergeStrategy = z.enum(["merge", "squash", "none"]);
export type MergeStrategy = z.infer<typeof MergeStrategy>;

export const Isolation = z.enum(["worktree", "none"]);
export type Isolation = z.infer<typeof Isolation>;

/** `tasks/{ws}/_workstream.json` (SPEC §5). Optional: every field has a default. */
export const WorkstreamDefinition = z.looseObject({
  schema_version: z.literal("1.0.0").default("1.0.0"),
  schema_url: z.string().optional(),
  workstream_id: Id,
  name: z.string().optional(),
  description: z.string().default(""),
  /** Default: the branch checked out in the repository when the run starts. */
  base_branch: z.string().min(1).optional(),
  depends_on: z.array(Id).default([]),
  max_duration_seconds: z.number().positive().optional(),
  merge: z
    .object({
      strategy: MergeStrategy.default("merge"),
      /** Default: base_branch. */
      target_branch: z.string().min(1).optional(),
    })
    .default({ strategy: "merge" }),
  bootstrap: z
    .object({
      copy: z.array(z.string().min(1)).default([]),
      commands: z.array(z.string().min(1)).default([]),
    })
    .default({ copy: [], commands: [] }),
  final_validation: z.array(z.string().min(1)).default([]),
  priority: z.number().int().optional(),
  isolation: Isolation.default("worktree"),
});
export type WorkstreamDefinition = z.infer<typeof WorkstreamDefinition>;
