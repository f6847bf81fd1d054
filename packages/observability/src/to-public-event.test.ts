import { describe, expect, it } from "vitest";
import { makeEvent } from "./test-fixtures.js";
import { toPublicEvent } from "./to-public-event.js";

describe("toPublicEvent (DESIGN §7: secrets never shown)", () => {
  it("keeps the event fields and allowlisted metadata, drops metadata.record and anything else", () => {
    const e = makeEvent(7, "2026-03-01T10:00:00.000Z", {
      event: "task_failed",
      entity_type: "task",
      entity_id: "a1",
      task_id: "a1",
      workstream_id: "ws",
      severity: "error",
      from_state: "running",
      to_state: "failed",
      metadata: {
        exit_code: 2,
        error_message: "x".repeat(1000),
        record: { prompt: "SECRET-PROMPT", env: { OPENAI_API_KEY: "sk-secret" } },
        api_key: "sk-other",
      },
    });
    const p = toPublicEvent(e)!;
    expect(p).toMatchObject({
      seq: 7,
      event: "task_failed",
      entity_id: "a1",
      task_id: "a1",
      to_state: "failed",
    });
    expect(p.metadata.exit_code).toBe(2);
    expect(String(p.metadata.error_message)).toHaveLength(300);
    const json = JSON.stringify(p);
    expect(json).not.toContain("SECRET");
    expect(json).not.toContain("sk-");
    expect(json).not.toContain("prev_hash");
  });

  it("rejects values that are not events", () => {
    expect(toPublicEvent(null)).toBeUndefined();
    expect(toPublicEvent([1])).toBeUndefined();
    expect(toPublicEvent({ seq: "1", event: "x", timestamp: "t" })).toBeUndefined();
  });
});
