// Test helpers (excluded from the build by tsconfig.build.json's `src/**/test-*.ts`).
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  applyEvent,
  createStateModel,
  type EventLine,
  type StateModel,
  snapshotFromModel,
} from "@weft/core-schema";

let counter = 0;

/** A complete event line (STATE-OBS-004) with sensible defaults. */
export function makeEvent(
  seq: number,
  timestamp: string,
  fields: Partial<EventLine> & Pick<EventLine, "event" | "entity_type" | "entity_id">,
): EventLine {
  counter += 1;
  return {
    schema_version: "1.0.0",
    seq,
    event_id: `evt-${seq}-${counter}`,
    timestamp,
    event_type:
      fields.entity_type === "task"
        ? "task_state_transition"
        : fields.entity_type === "workstream"
          ? "workstream_state_transition"
          : fields.entity_type === "worker"
            ? "worker_state_transition"
            : "system",
    severity: "info",
    from_state: null,
    to_state: null,
    trigger: null,
    actor: "system",
    metadata: {},
    ...fields,
  };
}

/** A small run: workstream `ws-a` with tasks a1 → a2 → a3 (a1 completed, a2 running), two workers. */
export function sampleEvents(start = "2026-03-01T10:00:00.000Z"): EventLine[] {
  const t0 = Date.parse(start);
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  let seq = 0;
  const ev = (s: number, f: Parameters<typeof makeEvent>[2]) => makeEvent(++seq, at(s), f);
  return [
    ev(0, {
      event: "run_started",
      entity_type: "run",
      entity_id: "run-1",
      metadata: { record: { run_id: "run-1", started_at: at(0), status: "running", pid: 1, host: "h" } },
    }),
    ev(0, {
      event: "workstream_registered",
      entity_type: "workstream",
      entity_id: "ws-a",
      to_state: "executing",
    }),
    ev(0, { event: "worker_registered", entity_type: "worker", entity_id: "w1", to_state: "idle" }),
    ev(0, { event: "worker_registered", entity_type: "worker", entity_id: "w2", to_state: "idle" }),
    ev(0, {
      event: "task_registered",
      entity_type: "task",
      entity_id: "a1",
      workstream_id: "ws-a",
      to_state: "queued",
      metadata: { record: { type: "aider", name: "edit code" } },
    }),
    ev(0, {
      event: "task_registered",
      entity_type: "task",
      entity_id: "a2",
      workstream_id: "ws-a",
      to_state: "pending",
      metadata: { record: { type: "lint", dependencies: ["a1"] } },
    }),
    ev(0, {
      event: "task_registered",
      entity_type: "task",
      entity_id: "a3",
      workstream_id: "ws-a",
      to_state: "pending",
      metadata: { record: { type: "pytest", dependencies: ["a2"] } },
    }),
    ev(1, {
      event: "task_started",
      entity_type: "task",
      entity_id: "a1",
      workstream_id: "ws-a",
      worker_id: "w1",
      from_state: "queued",
      to_state: "running",
    }),
    ev(1, { event: "worker_busy", entity_type: "worker", entity_id: "w1", to_state: "busy" }),
    ev(31, {
      event: "task_completed",
      entity_type: "task",
      entity_id: "a1",
      workstream_id: "ws-a",
      from_state: "running",
      to_state: "completed",
      metadata: { duration_seconds: 30, record: { duration_seconds: 30, tokens_used: 1200, cost_usd: 0.02 } },
    }),
    ev(31, { event: "worker_idle", entity_type: "worker", entity_id: "w1", to_state: "idle" }),
    ev(32, {
      event: "task_retry",
      entity_type: "task",
      entity_id: "a2",
      workstream_id: "ws-a",
      severity: "warning",
      from_state: "pending",
      to_state: "queued",
      metadata: { error_message: "flaky" },
    }),
    ev(33, {
      event: "task_started",
      entity_type: "task",
      entity_id: "a2",
      workstream_id: "ws-a",
      worker_id: "w2",
      from_state: "queued",
      to_state: "running",
    }),
    ev(33, { event: "worker_busy", entity_type: "worker", entity_id: "w2", to_state: "busy" }),
  ];
}

export function modelOf(events: readonly EventLine[]): StateModel {
  const m = createStateModel();
  for (const e of events) applyEvent(m, e);
  return m;
}

/** (Re)writes `current.json` as the snapshot of `events`. */
export function writeSnapshotFile(current: string, events: readonly EventLine[]): void {
  writeFileSync(
    current,
    `${JSON.stringify(snapshotFromModel(modelOf(events), events.slice(-5)), null, 2)}\n`,
  );
}

/** Writes `.state/current.json` and `.state/transitions.jsonl` for `events` under `root`. */
export function writeState(
  root: string,
  events: readonly EventLine[],
): { dir: string; current: string; log: string } {
  const dir = join(root, ".state");
  mkdirSync(dir, { recursive: true });
  const current = join(dir, "current.json");
  const log = join(dir, "transitions.jsonl");
  writeFileSync(
    current,
    `${JSON.stringify(snapshotFromModel(modelOf(events), events.slice(-5)), null, 2)}\n`,
  );
  writeFileSync(log, events.map((e) => `${JSON.stringify(e)}\n`).join(""));
  return { dir, current, log };
}

export function appendEvents(log: string, events: readonly EventLine[]): void {
  appendFileSync(log, events.map((e) => `${JSON.stringify(e)}\n`).join(""));
}
