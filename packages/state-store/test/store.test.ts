import { readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { CurrentState, EventLine, isWeftError, replayEvents, snapshotFromModel } from "@weft/core-schema";
import { describe, expect, it } from "vitest";
import { hashLine, openStateStore, readEvents, statePaths } from "../src/index.js";
import { steppingClock, taskDraft, tmpStateDir } from "./helpers.js";

function logLines(dir: string): string[] {
  return readFileSync(statePaths(dir).log, "utf8").split("\n").slice(0, -1);
}

describe("StateStore writes (STATE-OBS-001..005)", () => {
  it("commits events with seq, ids, ms timestamps and a hash chain; flush makes them durable", async () => {
    const dir = tmpStateDir();
    const { store } = await openStateStore({ stateDir: dir, now: steppingClock() });
    const lines = store.commit([taskDraft("a", "queued"), taskDraft("a", "running", { worker_id: "w1" })]);
    expect(lines.map((l) => l.seq)).toEqual([1, 2]);
    expect(store.model.tasks.get("a")?.status).toBe("running");
    expect(store.model.tasks.get("a")?.assigned_worker).toBe("w1");
    await store.flush();
    const text = logLines(dir);
    expect(text).toHaveLength(2);
    for (const t of text) expect(EventLine.safeParse(JSON.parse(t)).success).toBe(true);
    const [l1, l2] = text.map((t) => JSON.parse(t) as EventLine);
    expect(l1!.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(l1!.event_id).not.toBe(l2!.event_id);
    expect(l1!.prev_hash).toBeUndefined();
    expect(l2!.prev_hash).toBe(hashLine(text[0]!));
    const snap = CurrentState.parse(JSON.parse(readFileSync(statePaths(dir).current, "utf8")));
    expect(snap.seq).toBe(2);
    expect(snap.recent_events.map((e) => e.seq)).toEqual([1, 2]);
    expect(snap.tasks[0]?.status).toBe("running");
    await store.close();
  });

  it("the snapshot equals the replay of the log (by construction), also for non-JSON metadata", async () => {
    const dir = tmpStateDir();
    const { store } = await openStateStore({ stateDir: dir });
    for (let i = 0; i < 50; i++) {
      store.commit([
        taskDraft(`t${i % 7}`, ["queued", "running", "completed"][i % 3]!, {
          metadata: { record: { when: new Date(0), note: undefined, n: i } },
        }),
      ]);
    }
    await store.close();
    const replay = replayEvents([...readEvents(statePaths(dir))].map((e) => e.event));
    const snap = JSON.parse(readFileSync(statePaths(dir).current, "utf8")) as CurrentState;
    const { recent_events: _r, ...fromSnap } = snap;
    const { recent_events: _r2, ...fromReplay } = snapshotFromModel(replay);
    expect(fromSnap).toEqual(JSON.parse(JSON.stringify(fromReplay)));
    expect(snap.tasks.find((t) => t.task_id === "t1")?.when).toBe("1970-01-01T00:00:00.000Z");
  });

  it("group-commits bursts into few snapshots, and gives sparse events their own snapshot", async () => {
    const dir = tmpStateDir();
    const snapshots: number[] = [];
    const { store } = await openStateStore({
      stateDir: dir,
      settings: { group_commit_ms: 40 },
      hooks: { onSnapshot: (seq) => snapshots.push(seq) },
    });
    snapshots.length = 0;
    for (let i = 0; i < 200; i++) store.commit([taskDraft(`t${i}`, "queued")]);
    await new Promise((r) => setTimeout(r, 150));
    expect(snapshots.length).toBeLessThanOrEqual(2);
    expect(snapshots.at(-1)).toBe(200);
    snapshots.length = 0;
    for (let i = 0; i < 3; i++) {
      store.commit([taskDraft("sparse", "queued")]);
      await new Promise((r) => setTimeout(r, 100));
      await store.flush(); // on a loaded machine the write may take longer than the pause
    }
    expect(snapshots).toEqual([201, 202, 203]);
    await store.close();
  });

  it("writes indices with source_seq/source_timestamp after every snapshot (STATE-OBS-005)", async () => {
    const dir = tmpStateDir();
    const { store } = await openStateStore({ stateDir: dir });
    store.commit([
      taskDraft("a", "queued"),
      taskDraft("b", "running", { worker_id: "w1", workstream_id: "ws2" }),
      {
        event: "ws",
        event_type: "workstream_state_transition",
        severity: "info",
        entity_type: "workstream",
        entity_id: "ws2",
        to_state: "executing",
      },
    ]);
    await store.close();
    const p = statePaths(dir);
    const byStatus = JSON.parse(readFileSync(p.byStatus, "utf8"));
    expect(byStatus.source_seq).toBe(3);
    expect(byStatus.statuses).toEqual({ queued: ["a"], running: ["b"] });
    const byWs = JSON.parse(readFileSync(p.byWorkstream, "utf8"));
    expect(byWs.workstreams.ws2).toEqual({ status: "executing", tasks: ["b"], counts: { running: 1 } });
    const byWorker = JSON.parse(readFileSync(p.byWorker, "utf8"));
    expect(byWorker.workers.w1.tasks).toEqual(["b"]);
  });

  it("appends task logs and rejects ids that are not file names", async () => {
    const dir = tmpStateDir();
    const { store } = await openStateStore({ stateDir: dir });
    store.appendTaskLog("t1", "one\n");
    store.appendTaskLog("t1", "two\n");
    expect(() => store.appendTaskLog("../evil", "x")).toThrow(/invalid task id/);
    await store.close();
    expect(readFileSync(`${dir}/logs/t1.log`, "utf8")).toBe("one\ntwo\n");
  });

  it("reopening gives the same state and re-queues running work (interruptedTasks)", async () => {
    const dir = tmpStateDir();
    const first = await openStateStore({ stateDir: dir });
    first.store.commit([
      taskDraft("a", "running", { worker_id: "w1", metadata: { record: { pid: 4242 } } }),
      taskDraft("b", "completed"),
    ]);
    await first.store.close();
    const { store, recovery } = await openStateStore({ stateDir: dir });
    expect(recovery.rebuiltFromLog).toBe(false);
    expect(recovery.interruptedTasks.map((t) => [t.task_id, t.pid])).toEqual([["a", 4242]]);
    expect(store.model.seq).toBe(2);
    expect(store.commit([taskDraft("c", "queued")])[0]!.seq).toBe(3);
    await store.close();
  });
});

describe("single writer lock", () => {
  it("a live holder → STATE_LOCKED naming pid and host", async () => {
    const dir = tmpStateDir();
    const { store } = await openStateStore({ stateDir: dir });
    const err = await openStateStore({ stateDir: dir }).catch((e: unknown) => e);
    expect(isWeftError(err) && err.code).toBe("STATE_LOCKED");
    expect((err as Error).message).toContain(`pid ${process.pid} on ${hostname()}`);
    await store.close();
  });

  it("a stale lock of a dead local pid is taken over with a lock_taken_over warning", async () => {
    const dir = tmpStateDir();
    const { store } = await openStateStore({ stateDir: dir });
    await store.close();
    writeFileSync(
      statePaths(dir).lock,
      JSON.stringify({ pid: 999_999_9, host: hostname(), started_at: "2026-01-01T00:00:00.000Z" }),
    );
    const { store: s2, recovery } = await openStateStore({ stateDir: dir });
    expect(recovery.lockTakenOver?.pid).toBe(999_999_9);
    const ev = recovery.events.find((e) => e.event === "lock_taken_over");
    expect(ev?.severity).toBe("warning");
    expect(ev?.metadata.previous_pid).toBe(999_999_9);
    await s2.close();
  });

  it("a lock held on another host is never taken over", async () => {
    const dir = tmpStateDir();
    const { store } = await openStateStore({ stateDir: dir });
    await store.close();
    writeFileSync(
      statePaths(dir).lock,
      JSON.stringify({ pid: 1, host: "elsewhere", started_at: "2026-01-01T00:00:00.000Z" }),
    );
    const err = await openStateStore({ stateDir: dir }).catch((e: unknown) => e);
    expect(isWeftError(err) && err.code).toBe("STATE_LOCKED");
    expect((err as Error).message).toContain("elsewhere");
  });
});

describe("lock: pid reuse", () => {
  it("a lock whose pid now belongs to a younger process is stale (the orchestrator died, the pid was reused)", async () => {
    const dir = tmpStateDir();
    const { store } = await openStateStore({ stateDir: dir });
    await store.close();
    // Our own pid is alive, but this lock claims it was taken in 2001, before this process started.
    writeFileSync(
      statePaths(dir).lock,
      JSON.stringify({ pid: process.pid, host: hostname(), started_at: "2001-01-01T00:00:00.000Z" }),
    );
    const { store: s2, recovery } = await openStateStore({ stateDir: dir });
    expect(recovery.lockTakenOver?.started_at).toBe("2001-01-01T00:00:00.000Z");
    await s2.close();
  });
});
