import { EventDraft } from "@weft/core-schema";
import { describe, expect, it } from "vitest";
import { normalizeDraft } from "./normalize-draft.js";

describe("normalizeDraft (fast EventDraft.parse)", () => {
  const base = {
    event: "task_started",
    event_type: "task_state_transition",
    severity: "info",
    entity_type: "task",
    entity_id: "t1",
  } as const;
  it("gives exactly what zod gives, key order included", () => {
    const drafts: EventDraft[] = [
      base,
      {
        ...base,
        workstream_id: "ws",
        task_id: "t1",
        worker_id: "w",
        from_state: "queued",
        to_state: "running",
        trigger: "x",
        caused_by: "e1",
        actor: "user:bob",
        metadata: { a: 1 },
      },
      { ...base, to_state: null, metadata: { record: { x: [1] } } },
    ];
    for (const d of drafts)
      expect(JSON.stringify(normalizeDraft(d))).toBe(JSON.stringify(EventDraft.parse(d)));
  });
  it("rejects what zod rejects", () => {
    for (const bad of [
      { ...base, event: "Bad Name" },
      { ...base, severity: "loud" },
      { ...base, entity_id: "" },
      { ...base, actor: "bob" },
      { ...base, metadata: [] },
    ]) {
      expect(() => normalizeDraft(bad as EventDraft)).toThrow();
    }
  });
});
