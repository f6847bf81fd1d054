import { type EventLine, MetricsDocument } from "@weft/core-schema";
import { describe, expect, it } from "vitest";
import { computeMetrics, countErrorEvents } from "./compute-metrics.js";
import { makeEvent, modelOf, sampleEvents } from "./test-fixtures.js";

describe("computeMetrics (OBS-001)", () => {
  it("counts tasks, workstreams and workers of a hand-built model", () => {
    const events = sampleEvents();
    const now = new Date("2026-03-01T10:01:00.000Z");
    const m = computeMetrics(modelOf(events), { errors: countErrorEvents(events) }, now);
    expect(MetricsDocument.parse(m)).toEqual(m);
    expect(m.timestamp).toBe("2026-03-01T10:01:00.000Z");
    expect(m.workstreams).toEqual({ active: 1, completed_today: 0, failed_today: 0 });
    expect(m.tasks).toMatchObject({ completed: 1, running: 1, pending: 1, queued: 0, failed: 0 });
    expect(m.tasks.avg_duration_seconds).toBe(30);
    // The run is 60 s old: 1 completion in 60 s = 60 per hour.
    expect(m.tasks.completion_rate_per_hour).toBe(60);
    expect(m.workers).toMatchObject({ total: 2, idle: 1, busy: 1, unresponsive: 0 });
    // busy: a1 30 s + a2 27 s (running until now) over 2 workers × 60 s.
    expect(m.workers.avg_utilization).toBeCloseTo(57 / 120, 4);
    expect(m.errors).toEqual({ task_retry: 1 });
    expect(m.tokens_used).toBe(1200);
    expect(m.cost_usd).toBeCloseTo(0.02);
  });

  it("counts workstreams finished on the UTC day of now, not the day before", () => {
    const events: EventLine[] = [
      makeEvent(1, "2026-03-01T23:59:00.000Z", {
        event: "ws",
        entity_type: "workstream",
        entity_id: "old",
        to_state: "completed",
      }),
      makeEvent(2, "2026-03-02T00:00:01.000Z", {
        event: "ws",
        entity_type: "workstream",
        entity_id: "new",
        to_state: "completed",
      }),
      makeEvent(3, "2026-03-02T00:10:00.000Z", {
        event: "ws",
        entity_type: "workstream",
        entity_id: "bad",
        to_state: "failed",
      }),
      makeEvent(4, "2026-03-02T00:10:00.000Z", {
        event: "ws",
        entity_type: "workstream",
        entity_id: "later",
        to_state: "planned",
      }),
    ];
    const m = computeMetrics(modelOf(events), { errors: {} }, new Date("2026-03-02T12:00:00.000Z"));
    expect(m.workstreams).toEqual({ active: 0, completed_today: 1, failed_today: 1 });
  });

  it("measures the completion rate over the last hour once the run is older than that", () => {
    const events = sampleEvents("2026-03-01T10:00:00.000Z");
    // Two hours later the only completion is outside the window.
    const m = computeMetrics(modelOf(events), { errors: {} }, new Date("2026-03-01T12:00:00.000Z"));
    expect(m.tasks.completion_rate_per_hour).toBe(0);
    expect(m.tasks.avg_duration_seconds).toBe(30);
  });

  it("excludes shut-down workers and is zero-safe on an empty model", () => {
    const m = computeMetrics(modelOf([]), { errors: {} }, new Date("2026-03-01T00:00:00.000Z"));
    expect(m.workers).toEqual({ total: 0, idle: 0, busy: 0, unresponsive: 0, avg_utilization: 0 });
    expect(m.tasks.avg_duration_seconds).toBe(0);
    const shut = modelOf([
      makeEvent(1, "2026-03-01T00:00:00.000Z", {
        event: "w",
        entity_type: "worker",
        entity_id: "w1",
        to_state: "shutdown",
      }),
      makeEvent(2, "2026-03-01T00:00:00.000Z", {
        event: "w",
        entity_type: "worker",
        entity_id: "w2",
        to_state: "unresponsive",
      }),
    ]);
    expect(computeMetrics(shut, { errors: {} }, new Date("2026-03-01T00:00:01.000Z")).workers).toMatchObject({
      total: 1,
      unresponsive: 1,
    });
  });
});

describe("countErrorEvents", () => {
  it("counts warning, error and critical events by name and keeps a running total", () => {
    const e = (severity: EventLine["severity"], event: string) => ({ severity, event });
    const first = countErrorEvents([
      e("info", "task_started"),
      e("error", "task_failed"),
      e("critical", "worker_crashed"),
    ]);
    expect(first).toEqual({ task_failed: 1, worker_crashed: 1 });
    expect(countErrorEvents([e("warning", "task_failed")], first)).toEqual({
      task_failed: 2,
      worker_crashed: 1,
    });
    expect(first).toEqual({ task_failed: 1, worker_crashed: 1 });
  });
});
