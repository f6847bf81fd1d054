import type { EventLine } from "@weft/core-schema";

/** An event as the dashboard shows it: the event's own fields, no `metadata.record`, bounded text. */
export interface PublicEvent {
  readonly seq: number;
  readonly event_id: string;
  readonly timestamp: string;
  readonly event: string;
  readonly event_type: string;
  readonly severity: string;
  readonly entity_type: string;
  readonly entity_id: string;
  readonly workstream_id?: string;
  readonly task_id?: string;
  readonly worker_id?: string;
  readonly from_state: string | null;
  readonly to_state: string | null;
  readonly trigger: string | null;
  readonly actor: string;
  /** Only scalar, well-known metadata (retry_count, attempt, duration_seconds, exit_code, error_type, error_message). */
  readonly metadata: Readonly<Record<string, string | number | boolean>>;
}

const METADATA_KEYS = [
  "retry_count",
  "attempt",
  "duration_seconds",
  "exit_code",
  "error_type",
  "error_message",
];
const MAX_TEXT = 300;

function text(value: unknown, max = MAX_TEXT): string | undefined {
  if (typeof value !== "string") return undefined;
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/**
 * Reduces a log line to what the dashboard may show (DESIGN §7: secrets are never shown). Only the STATE-OBS-004
 * fields and an allowlist of scalar metadata pass; anything else — `metadata.record`, prompts, environment,
 * unknown keys — is dropped. Returns undefined for a value that is not an event. Pure.
 */
export function toPublicEvent(raw: unknown): PublicEvent | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const e = raw as Partial<EventLine> & Record<string, unknown>;
  if (typeof e.seq !== "number" || typeof e.event !== "string" || typeof e.timestamp !== "string")
    return undefined;
  const metadata: Record<string, string | number | boolean> = {};
  const md = e.metadata && typeof e.metadata === "object" ? (e.metadata as Record<string, unknown>) : {};
  for (const key of METADATA_KEYS) {
    const v = md[key];
    if (typeof v === "number" || typeof v === "boolean") metadata[key] = v;
    else if (typeof v === "string") metadata[key] = text(v) ?? "";
  }
  const out: Record<string, unknown> = {
    seq: e.seq,
    event_id: text(e.event_id, 128) ?? "",
    timestamp: text(e.timestamp, 40) ?? "",
    event: text(e.event, 128) ?? "",
    event_type: text(e.event_type, 64) ?? "",
    severity: text(e.severity, 16) ?? "info",
    entity_type: text(e.entity_type, 32) ?? "",
    entity_id: text(e.entity_id, 160) ?? "",
    from_state: text(e.from_state, 32) ?? null,
    to_state: text(e.to_state, 32) ?? null,
    trigger: text(e.trigger, 160) ?? null,
    actor: text(e.actor, 160) ?? "system",
    metadata,
  };
  for (const key of ["workstream_id", "task_id", "worker_id"] as const) {
    const v = text(e[key], 160);
    if (v !== undefined) out[key] = v;
  }
  return out as unknown as PublicEvent;
}
