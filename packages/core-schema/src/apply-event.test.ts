import { describe, expect, it } from "vitest";
import {
  applyEvent,
  createStateModel,
  modelFromSnapshot,
  replayEvents,
  snapshotFromModel,
} from "./apply-event.js";
import { CurrentState } from "./current-state.js";
import type { EventLine } from "./event-line.js";

let seq = 0;
function ev(partial: Partial<EventLine> & Pick<EventLine, "entity_type" | "entity_id">): EventLine {
  seq += 1;
  return {
    schema_version: "1.0.0",
    seq,
    event_id: `e${seq}`,
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    event: "x",
    event_type: "task_state_transition",
    severity: "info",
    from_state: null,
    to_state: null,
    trigger: null,
    actor: "system",
    metadata: {},
    ...partial,
  };
}

describe("applyEvent (the reducer behind snapshots and replay)", () => {
  it("creates, transitions and completes a task, keeping the SPEC §4 invariants", () => {
    seq = 0;
    const events = [
      ev({
        entity_type: "task",
        entity_id: "t1",
        workstream_id: "ws",
        to_state: "pending",
        metadata: { record: { name: "T1", type: "lint" } },
      }),
      ev({ entity_type: "task", entity_id: "t1", from_state: "pending", to_state: "queued" }),
      ev({
        entity_type: "task",
        entity_id: "t1",
        from_state: "queued",
        to_state: "running",
        worker_id: "w1",
      }),
      ev({ entity_type: "task", entity_id: "t1", from_state: "running", to_state: "validating" }),
      ev({ entity_type: "task", entity_id: "t1", from_state: "validating", to_state: "completed" }),
    ];
    const model = createStateModel();
    const running = createStateModel();
    for (const [i, e] of events.entries()) {
      applyEvent(model, e);
      if (i <= 2) applyEvent(running, e);
    }
    expect(running.tasks.get("t1")).toMatchObject({
      status: "running",
      assigned_worker: "w1",
      started_at: events[2]!.timestamp,
    });
    const t = model.tasks.get("t1")!;
    expect(t).toMatchObject({ status: "completed", assigned_worker: null, name: "T1", workstream_id: "ws" });
    expect(t.completed_at).toBe(events[4]!.timestamp);
    expect(model.seq).toBe(5);
    const snap = snapshotFromModel(model, []);
    expect(CurrentState.safeParse(snap).success).toBe(true);
    expect(snapshotFromModel(modelFromSnapshot(snap))).toEqual(snap);
    expect(snapshotFromModel(replayEvents(events))).toEqual(snap);
    expect(replayEvents(events, events[2]!.timestamp).tasks.get("t1")!.status).toBe("running");
  });
});
