import { EntityType, EventDraft, EventType, Severity } from "@weft/core-schema";

const EVENT_NAME = /^[a-z][a-z0-9_]*$/;
const ACTOR = /^(system|user:.+|worker:.+)$/;
const EVENT_TYPES = new Set<string>(EventType.options);
const SEVERITIES = new Set<string>(Severity.options);
const ENTITY_TYPES = new Set<string>(EntityType.options);
const OPTIONAL = ["workstream_id", "task_id", "worker_id", "caused_by"] as const;
const NULLABLE = ["from_state", "to_state", "trigger"] as const;

type Parsed = ReturnType<typeof EventDraft.parse>;

const isStr = (v: unknown): v is string => typeof v === "string";

/**
 * `EventDraft.parse` on the commit hot path, ~10× cheaper: a hand-written check of the same rules (STATE-OBS-004)
 * builds the draft with its defaults in schema order; anything unusual goes through zod, which throws its usual
 * error or normalizes exactly as before.
 */
export function normalizeDraft(d: EventDraft): Parsed {
  const r = d as Record<string, unknown>;
  const ok =
    isStr(r.event) &&
    EVENT_NAME.test(r.event) &&
    isStr(r.event_type) &&
    EVENT_TYPES.has(r.event_type) &&
    isStr(r.severity) &&
    SEVERITIES.has(r.severity) &&
    isStr(r.entity_type) &&
    ENTITY_TYPES.has(r.entity_type) &&
    isStr(r.entity_id) &&
    r.entity_id.length > 0 &&
    OPTIONAL.every((k) => r[k] === undefined || isStr(r[k])) &&
    NULLABLE.every((k) => r[k] === undefined || r[k] === null || isStr(r[k])) &&
    (r.actor === undefined || (isStr(r.actor) && ACTOR.test(r.actor))) &&
    (r.metadata === undefined ||
      (typeof r.metadata === "object" && r.metadata !== null && !Array.isArray(r.metadata)));
  if (!ok) return EventDraft.parse(d);
  const out: Record<string, unknown> = {
    event: r.event,
    event_type: r.event_type,
    severity: r.severity,
    entity_type: r.entity_type,
    entity_id: r.entity_id,
  };
  if (r.workstream_id !== undefined) out.workstream_id = r.workstream_id;
  if (r.task_id !== undefined) out.task_id = r.task_id;
  if (r.worker_id !== undefined) out.worker_id = r.worker_id;
  out.from_state = r.from_state ?? null;
  out.to_state = r.to_state ?? null;
  out.trigger = r.trigger ?? null;
  if (r.caused_by !== undefined) out.caused_by = r.caused_by;
  out.actor = r.actor ?? "system";
  out.metadata = r.metadata ?? {};
  return out as Parsed;
}
