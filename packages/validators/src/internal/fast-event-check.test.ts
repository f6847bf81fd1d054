import { EventLine } from "@weft/core-schema";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPlainValidEvent } from "./fast-event-check.js";

const valid = {
  schema_version: "1.0.0",
  seq: 7,
  event_id: "e-7",
  timestamp: "2026-01-15T10:00:00.000Z",
  event: "task_started",
  event_type: "task_state_transition",
  severity: "info",
  entity_type: "task",
  entity_id: "a1",
  workstream_id: "ws",
  task_id: "a1",
  worker_id: "w1",
  from_state: "queued",
  to_state: "running",
  trigger: "worker_started",
  actor: "system",
  metadata: { retry_count: 0 },
  prev_hash: "a".repeat(64),
};

const weird = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(""),
  fc.constant("x"),
  fc.constant("user:"),
  fc.constant("worker:w1"),
  fc.constant("2026-01-15T10:00:00Z"),
  fc.constant("A".repeat(64)),
  fc.integer({ min: -2, max: 3 }),
  fc.double(),
  fc.constant([]),
  fc.constant({}),
  fc.string(),
);

describe("isPlainValidEvent (STATE-OBS-004 fast path)", () => {
  it("accepts a valid line", () => {
    expect(isPlainValidEvent(valid)).toBe(true);
    expect(EventLine.safeParse(valid).success).toBe(true);
  });

  it("never accepts a line the EventLine schema rejects (property, mutated fields)", () => {
    const keys = Object.keys(valid);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...keys), weird), { minLength: 1, maxLength: 4 }),
        (mutations) => {
          const o: Record<string, unknown> = { ...valid };
          for (const [k, v] of mutations) {
            if (v === undefined) delete o[k];
            else o[k] = v;
          }
          if (isPlainValidEvent(o)) expect(EventLine.safeParse(o).success).toBe(true);
        },
      ),
      { numRuns: 3000, seed: 42 },
    );
  });

  it("rejects each broken field (so zod reports it)", () => {
    for (const [k, v] of [
      ["severity", "severe"],
      ["seq", 0],
      ["timestamp", "2026-01-15"],
      ["actor", "bob"],
      ["prev_hash", "x"],
      ["metadata", []],
    ] as const) {
      expect(isPlainValidEvent({ ...valid, [k]: v }), k).toBe(false);
    }
  });
});
