import { EVENT_SCHEMA_VERSION } from "@weft/core-schema";

const EVENT_TYPES = new Set([
  "task_state_transition",
  "workstream_state_transition",
  "worker_state_transition",
  "resource_event",
  "manual_override",
  "system",
]);
const SEVERITIES = new Set(["info", "warning", "error", "critical"]);
const ENTITY_TYPES = new Set(["task", "workstream", "worker", "resource", "run", "system"]);
const EVENT_NAME = /^[a-z][a-z0-9_]*$/;
const ACTOR = /^(system|user:.+|worker:.+)$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HASH = /^[0-9a-f]{64}$/;

const optString = (v: unknown): boolean => v === undefined || typeof v === "string";
const nullableString = (v: unknown): boolean => v === undefined || v === null || typeof v === "string";

/**
 * A fast pre-check of one event line against core-schema's `EventLine` (STATE-OBS-004): `true` only when every
 * constraint of that schema holds. It never decides a line is invalid on its own: when it returns `false` the
 * caller runs the zod schema for the authoritative issues. A test keeps the two in agreement on mutated lines.
 */
export function isPlainValidEvent(o: Record<string, unknown>): boolean {
  const seq = o.seq;
  const md = o.metadata;
  return (
    o.schema_version === EVENT_SCHEMA_VERSION &&
    typeof seq === "number" &&
    Number.isSafeInteger(seq) &&
    seq > 0 &&
    typeof o.event_id === "string" &&
    o.event_id.length > 0 &&
    typeof o.timestamp === "string" &&
    TIMESTAMP.test(o.timestamp) &&
    typeof o.event === "string" &&
    EVENT_NAME.test(o.event) &&
    typeof o.event_type === "string" &&
    EVENT_TYPES.has(o.event_type) &&
    typeof o.severity === "string" &&
    SEVERITIES.has(o.severity) &&
    typeof o.entity_type === "string" &&
    ENTITY_TYPES.has(o.entity_type) &&
    typeof o.entity_id === "string" &&
    o.entity_id.length > 0 &&
    optString(o.workstream_id) &&
    optString(o.task_id) &&
    optString(o.worker_id) &&
    nullableString(o.from_state) &&
    nullableString(o.to_state) &&
    nullableString(o.trigger) &&
    optString(o.caused_by) &&
    (o.actor === undefined || (typeof o.actor === "string" && ACTOR.test(o.actor))) &&
    (md === undefined ||
      (md !== null &&
        typeof md === "object" &&
        !Array.isArray(md) &&
        Object.getPrototypeOf(md) === Object.prototype)) &&
    (o.prev_hash === undefined || (typeof o.prev_hash === "string" && HASH.test(o.prev_hash)))
  );
}
