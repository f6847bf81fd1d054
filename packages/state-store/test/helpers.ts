import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventDraft } from "@weft/core-schema";

export function tmpStateDir(): string {
  return join(mkdtempSync(join(tmpdir(), "weft-state-")), ".state");
}

/** A clock that advances `stepMs` on every call, from `start`. */
export function steppingClock(start = "2026-01-10T10:00:00.000Z", stepMs = 7): () => Date {
  let t = Date.parse(start);
  return () => {
    const d = new Date(t);
    t += stepMs;
    return d;
  };
}

export function taskDraft(
  id: string,
  to: string,
  extra: Partial<EventDraft> & { metadata?: Record<string, unknown> } = {},
): EventDraft {
  return {
    event: `task_${to}`,
    event_type: "task_state_transition",
    severity: to === "failed" ? "error" : "info",
    entity_type: "task",
    entity_id: id,
    task_id: id,
    workstream_id: extra.workstream_id ?? "ws1",
    to_state: to,
    ...extra,
  };
}
