import { z } from "zod";
import { IsoTimestamp } from "./ids.js";

export const EventType = z.enum([
  "task_state_transition",
  "workstream_state_transition",
  "worker_state_transition",
  "resource_event",
  "manual_override",
  "system",
]);
export type EventType = z.infer<typeof EventType>;

/** STATE-OBS-004 severities: info = progress, warning = recoverable, error = needs a person, critical = system level. */
export const Severity = z.enum(["info", "warning", "error", "critical"]);
export type Severity = z.infer<typeof Severity>;

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  info: 0,
  warning: 1,
  error: 2,
  critical: 3,
};

export const EntityType = z.enum(["task", "workstream", "worker", "resource", "run", "system"]);
export type EntityType = z.infer<typeof EntityType>;

export const Actor = z
  .string()
  .regex(/^(system|user:.+|worker:.+)$/, { message: "must be system, user:<name> or worker:<id>" });

export const EVENT_SCHEMA_VERSION = "1.0.0";

/** The fields a producer fills in; the state store adds schema_version, seq, event_id, timestamp (and prev_hash). */
export const EventDraft = z.object({
  event: z.string().regex(/^[a-z][a-z0-9_]*$/, { message: "must be snake_case, e.g. task_started" }),
  event_type: EventType,
  severity: Severity,
  entity_type: EntityType,
  entity_id: z.string().min(1),
  workstream_id: z.string().optional(),
  task_id: z.string().optional(),
  worker_id: z.string().optional(),
  from_state: z.string().nullable().default(null),
  to_state: z.string().nullable().default(null),
  trigger: z.string().nullable().default(null),
  caused_by: z.string().optional(),
  actor: Actor.default("system"),
  /**
   * Free-form details (retry_count, duration_seconds, exit_code, error_type, error_message, tokens, cost…).
   * `metadata.record` (an object) is merged into the entity's record by the reducer (see apply-event.ts).
   */
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type EventDraft = z.input<typeof EventDraft>;

/** One line of `.state/transitions.jsonl` (STATE-OBS-002/004). */
export const EventLine = EventDraft.extend({
  schema_version: z.literal(EVENT_SCHEMA_VERSION),
  seq: z.number().int().positive(),
  event_id: z.string().min(1),
  timestamp: IsoTimestamp,
  /** sha256 of the previous line's text (hex), when the hash chain is enabled (AUDIT-001). */
  prev_hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export type EventLine = z.infer<typeof EventLine>;
