import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EventDraft, silentLogger } from "@weft/core-schema";
import { formatAttemptHeader, openStateStore } from "@weft/state-store";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/index.js";
import { runWeft } from "./run-weft.js";

const d = (id: string, to: string, extra: Partial<EventDraft> = {}): EventDraft => ({
  event: `task_${to}`,
  event_type: "task_state_transition",
  severity: to === "failed" ? "error" : "info",
  entity_type: "task",
  entity_id: id,
  task_id: id,
  workstream_id: "ws1",
  to_state: to,
  ...extra,
});

/** A repo whose .state has: ws1 executing, task a failed (exit 2, with a log), task b running. */
async function repo(): Promise<string> {
  const cwd = mkdtempSync(join(tmpdir(), "weft-state-cli-"));
  let now = Date.parse("2026-03-01T10:00:00.000Z");
  const clock = () => {
    now += 1000;
    return new Date(now);
  };
  const { store } = await openStateStore({ stateDir: join(cwd, ".state"), now: clock });
  store.commit([
    {
      event: "workstream_started",
      event_type: "workstream_state_transition",
      severity: "info",
      entity_type: "workstream",
      entity_id: "ws1",
      to_state: "executing",
    },
  ]);
  store.commit([d("a", "running", { worker_id: "w1", metadata: { attempt: 1 } })]);
  store.appendTaskLog(
    "a",
    `${formatAttemptHeader("a", 1, clock().toISOString(), "w1")}compiling\nerror: boom\n`,
  );
  store.commit([
    d("a", "failed", {
      from_state: "running",
      trigger: "execution_failed",
      metadata: {
        attempt: 1,
        exit_code: 2,
        error_type: "execution_failed",
        error_message: "exit 2",
        record: { last_error: { type: "execution_failed", message: "exit 2" } },
      },
    }),
  ]);
  store.commit([d("b", "running", { worker_id: "w2" })]);
  await store.close();
  return cwd;
}

describe("state read commands", () => {
  it("status: counts per workstream, active and failed tasks; --json gives the data", async () => {
    const cwd = await repo();
    const r = await runWeft(["status"], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("tasks 2: 1 running · 1 failed");
    expect(r.stdout).toMatch(/ws1\s+executing\s+0\/2/);
    expect(r.stdout).toContain("a (ws1): execution_failed: exit 2");
    const j = JSON.parse((await runWeft(["status", "--json"], { cwd })).stdout);
    expect(j).toMatchObject({ seq: 4, totals: { running: 1, failed: 1 }, index: "fresh" });
    const none = await runWeft(["status"], { cwd: mkdtempSync(join(tmpdir(), "weft-empty-")) });
    expect(none.stdout).toContain("no state yet");
  });

  it("events: filters by task, severity and time; bad values exit 2", async () => {
    const cwd = await repo();
    const a = JSON.parse((await runWeft(["events", "--task", "a", "--json"], { cwd })).stdout);
    expect(a.map((e: { seq: number }) => e.seq)).toEqual([2, 3]);
    const err = await runWeft(["events", "--severity", "error"], { cwd });
    expect(err.stdout.trim().split("\n")).toHaveLength(1);
    expect(err.stdout).toContain("task_failed task:a running→failed (execution_failed) — exit 2");
    const since = JSON.parse(
      (await runWeft(["events", "--since", "2026-03-01T10:00:07.000Z", "--json"], { cwd })).stdout,
    );
    expect(since.map((e: { seq: number }) => e.seq)).toEqual([3, 4]);
    expect((await runWeft(["events", "--severity", "loud"], { cwd })).code).toBe(2);
    expect((await runWeft(["events", "--since", "yesterday-ish"], { cwd })).code).toBe(2);
  });

  it("events --follow prints new events until interrupted", async () => {
    const cwd = await repo();
    let out = "";
    const ac = new AbortController();
    const running = runCli(["events", "--follow", "--task", "c"], {
      cwd,
      services: { version: "t", logger: silentLogger },
      io: {
        stdout: (t) => {
          out += t;
        },
        stderr: () => {},
        isTTY: false,
        columns: 100,
        env: {},
        now: () => new Date(),
        signal: ac.signal,
        hardSignal: new AbortController().signal,
      },
    });
    await new Promise((r) => setTimeout(r, 300));
    const { store } = await openStateStore({ stateDir: join(cwd, ".state") });
    store.commit([d("c", "queued"), d("other", "queued"), d("c", "running", { worker_id: "w1" })]);
    await store.close();
    for (let i = 0; i < 40 && !out.includes("task_running task:c"); i++)
      await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    expect(await running).toBe(0);
    expect(out).toContain("task_queued task:c");
    expect(out).toContain("task_running task:c");
    expect(out).not.toContain("task:other");
  });

  it("replay --at: the state at that moment", async () => {
    const cwd = await repo();
    const j = JSON.parse(
      (await runWeft(["replay", "--at", "2026-03-01T10:00:05.000Z", "--json"], { cwd })).stdout,
    );
    expect(j.seq).toBe(2);
    expect(j.state.tasks).toMatchObject([{ task_id: "a", status: "running", assigned_worker: "w1" }]);
    expect(j.next_event.seq).toBe(3);
    expect((await runWeft(["replay"], { cwd })).code).toBe(2);
  });

  it("explain: attempts, error, log tail; unknown task exit 1, bad id exit 2", async () => {
    const cwd = await repo();
    const r = await runWeft(["explain", "a"], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("a: failed after 1 attempt(s): execution_failed: exit 2");
    expect(r.stdout).toContain("exit 2, execution_failed: exit 2");
    expect(r.stdout).toContain("| error: boom");
    expect((await runWeft(["explain", "zz"], { cwd })).code).toBe(1);
    expect((await runWeft(["explain", "../x"], { cwd })).code).toBe(2);
  });

  it("audit verify / report / rotate", async () => {
    const cwd = await repo();
    const v = await runWeft(["audit", "verify"], { cwd });
    expect(v.code).toBe(0);
    expect(v.stdout).toContain("OK: 4 events, seq 1–4 without gaps");
    const rep = await runWeft(["audit", "report", "--from", "2026-03-01", "--to", "2026-03-02"], { cwd });
    expect(rep.stdout).toContain("# weft audit report");
    expect(rep.stdout).toContain(
      "| 3 | 2026-03-01T10:00:07.000Z | task_failed | task:a | execution_failed: exit 2 |",
    );
    const json = JSON.parse(
      (await runWeft(["audit", "report", "--format", "json", "--to", "2026-12-31"], { cwd })).stdout,
    );
    expect(json.tasks.failed).toBe(1);
    const rot = await runWeft(["audit", "rotate"], { cwd, now: () => new Date("2026-03-02T08:00:00.000Z") });
    expect(rot.code).toBe(0);
    expect(rot.stdout).toContain("transitions_20260301.jsonl.gz");
    // Archived events stay queryable.
    expect(JSON.parse((await runWeft(["events", "--json"], { cwd })).stdout)).toHaveLength(4);
    expect((await runWeft(["audit", "verify"], { cwd })).code).toBe(0);
    expect((await runWeft(["audit", "nope"], { cwd })).code).toBe(2);
    // restore: a damaged archive comes back from a backup copy.
    const seg = join(cwd, ".state/archive/transitions/2026/03/transitions_20260301.jsonl.gz");
    const backup = join(mkdtempSync(join(tmpdir(), "weft-bak-")), "transitions_20260301.jsonl.gz");
    copyFileSync(seg, backup);
    writeFileSync(seg, "not gzip");
    const broken = await runWeft(["audit", "verify"], { cwd });
    expect(broken.code).toBe(1);
    expect(broken.stderr + broken.stdout).toContain("[AUDIT-002]");
    const res = await runWeft(["audit", "restore", backup], { cwd });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("restored archive segment");
    expect(res.stdout).toContain("OK: 4 events");
  });
});
