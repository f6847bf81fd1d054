import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AttemptResult, TaskRunner } from "@weft/core-schema";
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/create-engine.js";
import { applyManualRetry } from "../src/manual-override.js";
import { createMemoryStateStore } from "../src/memory-state-store.js";
import { isProcessAlive } from "../src/process-group.js";
import { config, eventsOf, repoOf, resource, runMemory, task, tempDir, workstream } from "./helpers.js";

const ok = (extra: Partial<AttemptResult> = {}): AttemptResult => ({
  status: "success",
  files_modified: [],
  diff_summary: "",
  validation_status: "pending",
  commit_message: "",
  error: null,
  metadata: { tokens_used: 10, duration_seconds: 0.01 },
  ...extra,
});

describe("ERR-FM: Task-Timeout", () => {
  it("kills the whole process group (grandchild included) and records task_timeout", async () => {
    const dir = tempDir();
    const t = task("slow", "ws", {
      command: "sleep 30 & echo $! > gc.pid; wait",
      execution: { timeout_seconds: 0.5, max_retries: 0 },
    });
    const { store, summary } = await runMemory(
      repoOf({ tasks: [t], config: config({ defaults: { kill_grace_seconds: 0.2 } }) }),
      dir,
    );
    expect(summary.status).toBe("failed");
    const ev = store.events.find((e) => e.event === "task_timeout")!;
    expect(ev.severity).toBe("error");
    expect(ev.to_state).toBe("failed");
    const gc = Number(readFileSync(join(dir, "gc.pid"), "utf8"));
    await new Promise((r) => setTimeout(r, 100));
    expect(isProcessAlive(gc)).toBe(false);
    expect(store.model.tasks.get("slow")?.last_error?.type).toBe("timeout");
  });
});

describe("ERR-FM: Task-Failed — retries with backoff, blocked dependents", () => {
  it("a flaky task passes on retry; retry_count counts the retry", async () => {
    const dir = tempDir();
    const t = task("flaky", "ws", {
      command: "if [ -f seen ]; then exit 0; fi; touch seen; exit 3",
      execution: { max_retries: 2, retry_delay_seconds: 0.05 },
    });
    const { store, summary } = await runMemory(repoOf({ tasks: [t] }), dir);
    expect(summary.status).toBe("completed");
    expect(eventsOf(store, "flaky")).toEqual([
      "pending>queued:scheduler_assigned",
      "queued>running:worker_started",
      "running>retrying:execution_failed",
      "retrying>queued:retry_delay_elapsed",
      "queued>running:worker_started",
      "running>validating:execution_completed",
      "validating>completed:validation_passed",
    ]);
    const retry = store.events.find((e) => e.event === "task_retry")!;
    expect(retry.severity).toBe("warning");
    expect(retry.metadata.retry_count).toBe(1);
    expect(store.model.tasks.get("flaky")?.retry_count).toBe(1);
    expect(store.model.tasks.get("flaky")?.attempt).toBe(2);
  });

  it("after max_retries the task fails (error) and its dependents become blocked; the workstream fails", async () => {
    const dir = tempDir();
    const tasks = [
      task("a", "ws", {
        command: "echo boom; exit 1",
        execution: { max_retries: 1, retry_delay_seconds: 0.01 },
      }),
      task("b", "ws", { dependencies: ["a"] }),
      task("c", "ws", { dependencies: ["b"] }),
    ];
    const { store, summary } = await runMemory(repoOf({ tasks }), dir);
    expect(summary.status).toBe("failed");
    expect(store.model.tasks.get("a")?.status).toBe("failed");
    expect(store.model.tasks.get("a")?.retry_count).toBe(1);
    expect(store.model.tasks.get("a")?.last_error?.message).toMatch(/exited with code 1: boom/);
    expect(store.model.tasks.get("b")?.status).toBe("blocked");
    expect(store.model.tasks.get("c")?.status).toBe("blocked");
    expect(store.events.find((e) => e.event === "task_failed")?.severity).toBe("error");
    const wsEv = store.events.find((e) => e.event === "workstream_failed")!;
    expect(wsEv.trigger).toBe("critical_task_failed");
    expect(store.logs.get("a")).toMatch(/attempt 2 of a/);
  });

  it("a non-critical failure never leaves the workstream stuck", async () => {
    const dir = tempDir();
    const tasks = [
      task("opt", "ws", { command: "exit 1", critical: false }),
      task("opt-child", "ws", { dependencies: ["opt"], critical: false }),
      task("main", "ws", { command: "true" }),
    ];
    const { store, summary } = await runMemory(repoOf({ tasks }), dir);
    expect(summary.status).toBe("completed");
    expect(store.model.workstreams.get("ws")?.status).toBe("completed");
    expect(store.model.tasks.get("opt-child")?.status).toBe("blocked");
  });

  it("--fail-fast stops the run at the first failure and re-queues running work", async () => {
    const dir = tempDir();
    const tasks = [
      task("bad", "ws", { command: "exit 1" }),
      task("long", "ws", { command: "sleep 20" }),
      task("later", "ws", { dependencies: ["long"] }),
    ];
    const t0 = Date.now();
    const { store, summary } = await runMemory(
      repoOf({ tasks, config: config({ defaults: { kill_grace_seconds: 0.1 } }) }),
      dir,
      { failFast: true },
    );
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(summary.status).toBe("failed");
    expect(store.model.tasks.get("long")?.status).toBe("queued");
    expect(store.model.tasks.get("later")?.status).toBe("pending");
  });
});

/** An `aider` task with one post-execution gate `tests`, run by `runner` in the memory store (PIPELINE tests). */
function runAiderAgainstGate(runner: TaskRunner, gate: string, fixAttempts: number) {
  const t = task("edit", "ws", {
    type: "aider",
    command: "",
    validation_rules: { post_execution: ["tests"] },
  });
  const cfg = config({ gates: { tests: gate }, fix_attempts: fixAttempts });
  return runMemory(repoOf({ tasks: [t], config: cfg }), tempDir(), { runners: { aider: runner } });
}

describe("ERR-FM: Validation-Failed and the PIPELINE", () => {
  it("a failing post-execution gate fails a command task (validation_failed, error)", async () => {
    const dir = tempDir();
    const t = task("lint", "ws", {
      type: "lint",
      command: "true",
      validation_rules: { post_execution: ["no_lint_errors"] },
    });
    const cfg = config({ gates: { no_lint_errors: "echo 'E501 line too long'; exit 1" } });
    const { store, summary } = await runMemory(repoOf({ tasks: [t], config: cfg }), dir);
    expect(summary.status).toBe("failed");
    const ev = store.events.find((e) => e.event === "validation_failed")!;
    expect(ev.severity).toBe("error");
    expect(ev.to_state).toBe("failed");
    expect(String(ev.metadata.error_message)).toMatch(/E501/);
  });

  it("an aider task gets fix attempts with the gate output until the gate passes", async () => {
    const fixes: unknown[] = [];
    const runner: TaskRunner = {
      async run(_t, ctx) {
        fixes.push(ctx.fix ?? null);
        if (ctx.fix?.fixAttempt === 2) writeFileSync(join(ctx.worktree, "fixed"), "");
        return ok();
      },
    };
    const { store, summary } = await runAiderAgainstGate(
      runner,
      'test -f fixed || { echo "missing fixed (try $WEFT_ATTEMPT)"; exit 1; }',
      3,
    );
    expect(summary.status).toBe("completed");
    expect(fixes).toHaveLength(3);
    expect(fixes[0]).toBeNull();
    expect(fixes[1]).toMatchObject({ gate: "tests", fixAttempt: 1 });
    expect(String((fixes[1] as { output: string }).output)).toMatch(/missing fixed/);
    const v = store.events.filter((e) => e.event === "validation_failed");
    expect(v.map((e) => `${e.to_state}/${e.severity}`)).toEqual(["retrying/warning", "retrying/warning"]);
    expect(store.model.tasks.get("edit")?.retry_count).toBe(0); // fix attempts are not retries
  });

  it("stops fixing early when the gate output repeats", async () => {
    let runs = 0;
    const runner: TaskRunner = {
      run: async () => {
        runs++;
        return ok();
      },
    };
    const { store } = await runAiderAgainstGate(runner, "echo same; exit 1", 5);
    expect(runs).toBe(2);
    expect(store.model.tasks.get("edit")?.status).toBe("failed");
  });

  it("asks the runner whether failures repeat (outputs that differ only in timings stop early)", async () => {
    let runs = 0;
    const seen: string[][] = [];
    const runner: TaskRunner = {
      run: async () => {
        runs++;
        return ok();
      },
      shouldStopFixing(outputs) {
        seen.push([...outputs]);
        const strip = (s: string) => s.replace(/\d+/g, "N");
        return strip(outputs.at(-1)!) === strip(outputs.at(-2)!);
      },
    };
    // a byte-for-byte comparison would never see these as identical: the attempt number changes the output
    const { store } = await runAiderAgainstGate(runner, 'echo "1 failing after $WEFT_ATTEMPT ms"; exit 1', 5);
    expect(runs).toBe(2);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.map((o) => o.trim())).toEqual(["1 failing after 1 ms", "1 failing after 2 ms"]);
    expect(store.model.tasks.get("edit")?.status).toBe("failed");
    const failed = store.events.find((e) => e.to_state === "failed")!;
    expect(failed.metadata).toMatchObject({ gate: "tests", repeated_output: true });
  });

  it("an unknown rule is an error at plan time (SCHED_UNKNOWN_RULE) and nothing runs", async () => {
    const dir = tempDir();
    const t = task("x", "ws", {
      command: "touch ran",
      validation_rules: { pre_execution: ["no_such_gate"] },
    });
    const store = createMemoryStateStore();
    const engine = createEngine({ repo: repoOf({ tasks: [t] }), repoRoot: dir, store, isolation: "none" });
    expect(engine.plan()[0]?.code).toBe("SCHED_UNKNOWN_RULE");
    await expect(engine.run()).rejects.toMatchObject({ code: "SCHED_UNKNOWN_RULE" });
    expect(existsSync(join(dir, "ran"))).toBe(false);
  });

  it("resolves rules as the validators do: an empty command or an Object.prototype name is unknown", () => {
    const dir = tempDir();
    const t = task("x", "ws", {
      command: "true",
      validation_rules: { pre_execution: ["constructor"], post_execution: ["tests_passing"] },
    });
    const store = createMemoryStateStore();
    const cfg = config({ gates: { tests_passing: "  " } });
    const engine = createEngine({
      repo: repoOf({ tasks: [t], config: cfg }),
      repoRoot: dir,
      store,
      isolation: "none",
    });
    const problems = engine.plan().filter((p) => p.code === "SCHED_UNKNOWN_RULE");
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining("'constructor' is not a gate rule"),
      expect.stringContaining("set gates.tests_passing in weft.config.json"),
    ]);
  });

  it("a failing pre-execution rule fails the task from queued without running it", async () => {
    const dir = tempDir();
    const t = task("x", "ws", { command: "touch ran", validation_rules: { pre_execution: ["ready"] } });
    const { store } = await runMemory(
      repoOf({ tasks: [t], config: config({ gates: { ready: "exit 1" } }) }),
      dir,
    );
    expect(eventsOf(store, "x")).toEqual([
      "pending>queued:scheduler_assigned",
      "queued>failed:pre_execution_failed",
    ]);
    expect(existsSync(join(dir, "ran"))).toBe(false);
  });
});

describe("ERR-FM: Context-Overflow", () => {
  it("required files over max_context_tokens fail the task before anything runs (no retry)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "big.py"), "x".repeat(40_000));
    let ran = false;
    const runner: TaskRunner = {
      run: async () => {
        ran = true;
        return ok();
      },
    };
    const t = task("edit", "ws", {
      type: "aider",
      command: "",
      execution: { max_retries: 3 },
      context_requirements: { max_context_tokens: 1000, required_files: ["big.py"] },
    });
    const { store } = await runMemory(repoOf({ tasks: [t] }), dir, { runners: { aider: runner } });
    const ev = store.events.find((e) => e.event === "context_overflow")!;
    expect(ev.severity).toBe("error");
    expect(ev.from_state).toBe("queued");
    expect(ev.to_state).toBe("failed");
    expect(ran).toBe(false);
  });
});

describe("ERR-FM: Dependency-Cycle", () => {
  it("a cyclic workstream is reported (critical) and not run; the others run", async () => {
    const dir = tempDir();
    const tasks = [
      task("a", "cyc", { dependencies: ["b"] }),
      task("b", "cyc", { dependencies: ["a"] }),
      task("ok", "fine", { command: "touch ok" }),
    ];
    const { store, summary } = await runMemory(repoOf({ tasks }), dir);
    const ev = store.events.find((e) => e.event === "dependency_cycle_detected")!;
    expect(ev.severity).toBe("critical");
    expect(ev.metadata.cycles).toEqual([expect.arrayContaining(["a", "b"])]);
    expect(store.model.workstreams.get("cyc")?.status).toBe("planned");
    expect(store.model.workstreams.get("fine")?.status).toBe("completed");
    expect(summary.status).toBe("failed");
  });
});

describe("ERR-FM: Worker-Unresponsive and Worker-Crashed (SM-DEF-003)", () => {
  const fast = config({
    workers: { heartbeat_seconds: 0.05, unresponsive_after_missed: 2, shutdown_after_seconds: 0.3 },
    defaults: { kill_grace_seconds: 0.1 },
  });

  it("a stopped task process stops heartbeating: unresponsive (critical), then worker_lost and the task is retried", async () => {
    const dir = tempDir();
    // First attempt stops itself (SIGSTOP) — it can no longer heartbeat.
    const t = task("hang", "ws", {
      command: "if [ -f again ]; then exit 0; fi; touch again; kill -STOP $$",
      execution: { max_retries: 1, retry_delay_seconds: 0.01 },
    });
    const { store, summary } = await runMemory(repoOf({ tasks: [t], config: fast }), dir, { workers: 1 });
    expect(summary.status).toBe("completed");
    const unresp = store.events.find((e) => e.event === "worker_unresponsive")!;
    expect(unresp.severity).toBe("critical");
    const lost = store.events.find((e) => e.event === "worker_lost")!;
    expect(lost.to_state).toBe("shutdown");
    expect(
      store.events.some(
        (e) => e.entity_id === "hang" && e.trigger === "worker_lost" && e.to_state === "retrying",
      ),
    ).toBe(true);
  });

  it("a runner that throws crashes its worker (critical); a new worker takes the retry", async () => {
    const dir = tempDir();
    let calls = 0;
    const runner: TaskRunner = {
      async run() {
        calls += 1;
        if (calls === 1) throw new Error("segfault in runner");
        return ok();
      },
    };
    const t = task("x", "ws", {
      type: "aider",
      command: "",
      execution: { max_retries: 1, retry_delay_seconds: 0.01 },
    });
    const { store, summary } = await runMemory(repoOf({ tasks: [t] }), dir, {
      runners: { aider: runner },
      workers: 1,
    });
    expect(summary.status).toBe("completed");
    const crash = store.events.find((e) => e.event === "worker_crashed")!;
    expect(crash.severity).toBe("critical");
    const runningWorkers = store.events
      .filter((e) => e.entity_id === "x" && e.to_state === "running")
      .map((e) => e.worker_id);
    expect(new Set(runningWorkers).size).toBe(2);
  });
});

describe("ERR-FM: Resource-Exhaustion and contention (CONC-REG-002)", () => {
  it("tasks sharing an exclusive resource never overlap; a starving task raises resource_exhausted", async () => {
    const dir = tempDir();
    const cmd = (id: string) =>
      `echo "start ${id} $(date +%s%N)" >> log; sleep 0.4; echo "end ${id} $(date +%s%N)" >> log`;
    const tasks = ["a", "b", "c"].map((id) =>
      task(id, "ws", { command: cmd(id), resource_requirements: { db: "exclusive" } }),
    );
    const cfg = config({ starvation_threshold_seconds: 0.3 });
    const { store, summary } = await runMemory(
      repoOf({ tasks, resources: [resource({ ResourceId: "db", Type: "exclusive" })], config: cfg }),
      dir,
      { workers: 3 },
    );
    expect(summary.status).toBe("completed");
    const lines = readFileSync(join(dir, "log"), "utf8").trim().split("\n");
    // strictly alternating start/end: never two holders at once
    for (const [i, l] of lines.entries()) expect(l.startsWith(i % 2 === 0 ? "start" : "end")).toBe(true);
    const ex = store.events.find((e) => e.event === "resource_exhausted")!;
    expect(ex.severity).toBe("critical");
    expect(
      store.events.some(
        (e) =>
          e.event === "resource_updated" &&
          Array.isArray((e.metadata.record as { holders: unknown[] }).holders),
      ),
    ).toBe(true);
  });
});

describe("ERR-FM: Workstream-Timeout", () => {
  it("max_duration_seconds kills running tasks and fails the workstream", async () => {
    const dir = tempDir();
    const t = task("long", "ws", { command: "sleep 20" });
    const { store, summary } = await runMemory(
      repoOf({
        tasks: [t],
        workstreams: [workstream("ws", { max_duration_seconds: 0.4 })],
        config: config({ defaults: { kill_grace_seconds: 0.1 } }),
      }),
      dir,
    );
    expect(summary.status).toBe("failed");
    const ev = store.events.find((e) => e.event === "workstream_timeout")!;
    expect(ev.severity).toBe("error");
    expect(store.model.tasks.get("long")?.status).toBe("failed");
  });
});

describe("workstreams in parallel honoring depends_on", () => {
  it("b starts only after a completed; unrelated c runs in parallel", async () => {
    const dir = tempDir();
    const tasks = [
      task("a1", "a", { command: "sleep 0.3; echo a1 >> order" }),
      task("b1", "b", { command: "echo b1 >> order" }),
      task("c1", "c", { command: "echo c1 >> order" }),
    ];
    const { summary } = await runMemory(
      repoOf({ tasks, workstreams: [workstream("b", { depends_on: ["a"] })] }),
      dir,
    );
    expect(summary.status).toBe("completed");
    const order = readFileSync(join(dir, "order"), "utf8").trim().split("\n");
    expect(order.indexOf("b1")).toBeGreaterThan(order.indexOf("a1"));
    expect(order.indexOf("c1")).toBeLessThan(order.indexOf("b1"));
  });
});

describe("manual overrides", () => {
  it("cancel during a run kills the task and logs manual_override; retry re-runs a failed task", async () => {
    const dir = tempDir();
    const store = createMemoryStateStore();
    const tasks = [
      task("long", "ws", { command: "sleep 20" }),
      task("after", "ws", { dependencies: ["long"] }),
    ];
    const engine = createEngine({
      repo: repoOf({ tasks, config: config({ defaults: { kill_grace_seconds: 0.1 } }) }),
      repoRoot: dir,
      store,
      isolation: "none",
      workers: 1,
    });
    const p = engine.run();
    await new Promise((r) => setTimeout(r, 300));
    engine.cancel("long", "user:alice");
    const summary = await p;
    expect(summary.status).toBe("failed");
    const ev = store.events.find((e) => e.event === "task_cancelled")!;
    expect(ev.event_type).toBe("manual_override");
    expect(ev.actor).toBe("user:alice");
    expect(store.model.tasks.get("after")?.status).toBe("blocked");

    const lines = applyManualRetry(store, "long", "user:alice");
    expect(lines.map((l) => `${l.entity_id}:${l.to_state}:${l.event_type}`)).toEqual([
      "long:pending:manual_override",
      "after:pending:manual_override",
      "ws:executing:manual_override",
    ]);
    const fast = repoOf({
      tasks: [task("long", "ws", { command: "true" }), task("after", "ws", { dependencies: ["long"] })],
    });
    const again = await createEngine({ repo: fast, repoRoot: dir, store, isolation: "none" }).run();
    expect(again.status).toBe("completed");
  });
});

describe("SIGINT", () => {
  it("first signal: stop scheduling, running task finishes in the grace period; state stays consistent", async () => {
    const dir = tempDir();
    const soft = new AbortController();
    const tasks = [
      task("a", "ws", { command: "sleep 0.4; touch a" }),
      task("b", "ws", { dependencies: ["a"], command: "touch b" }),
    ];
    const store = createMemoryStateStore();
    const engine = createEngine({
      repo: repoOf({ tasks }),
      repoRoot: dir,
      store,
      isolation: "none",
      signal: soft.signal,
      graceMs: 5000,
      onEvent: (lines) => {
        if (lines.some((l) => l.entity_id === "a" && l.to_state === "running"))
          setTimeout(() => soft.abort(), 50);
      },
    });
    const p = engine.run();
    const summary = await p;
    expect(summary.status).toBe("interrupted");
    expect(store.model.tasks.get("a")?.status).toBe("completed");
    expect(store.model.tasks.get("b")?.status).toBe("pending");
    expect(existsSync(join(dir, "b"))).toBe(false);
    expect([...store.model.workers.values()].every((w) => w.status === "shutdown")).toBe(true);
  });

  it("second signal kills at once; the task is re-queued, not failed", async () => {
    const dir = tempDir();
    const soft = new AbortController();
    const hard = new AbortController();
    const store = createMemoryStateStore();
    const engine = createEngine({
      repo: repoOf({
        tasks: [task("a", "ws", { command: "sleep 20" })],
        config: config({ defaults: { kill_grace_seconds: 0.1 } }),
      }),
      repoRoot: dir,
      store,
      isolation: "none",
      signal: soft.signal,
      hardSignal: hard.signal,
    });
    const p = engine.run();
    const started = setInterval(() => {
      if (store.model.tasks.get("a")?.status !== "running") return;
      clearInterval(started);
      soft.abort();
      setTimeout(() => hard.abort(), 100);
    }, 20);
    const t0 = Date.now();
    const summary = await p;
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(summary.status).toBe("interrupted");
    expect(store.model.tasks.get("a")?.status).toBe("queued");
    expect(store.model.tasks.get("a")?.retry_count).toBe(0);
  });
});
