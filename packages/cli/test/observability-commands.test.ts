import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applyEvent,
  createStateModel,
  type EventLine,
  MetricsDocument,
  silentLogger,
  snapshotFromModel,
} from "@weft/core-schema";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/index.js";
import { runWeft } from "./run-weft.js";

function ev(
  seq: number,
  fields: Partial<EventLine> & Pick<EventLine, "event" | "entity_type" | "entity_id">,
): EventLine {
  return {
    schema_version: "1.0.0",
    seq,
    event_id: `e${seq}`,
    timestamp: `2026-01-02T03:00:0${seq}.000Z`,
    event_type: "task_state_transition",
    severity: "info",
    from_state: null,
    to_state: null,
    trigger: null,
    actor: "system",
    metadata: {},
    ...fields,
  };
}

/** A repo with `.state` holding one workstream, two tasks (one running) and a failed-then-retried event. */
function repo(): string {
  const root = mkdtempSync(join(tmpdir(), "weft-cli-obs-"));
  const events = [
    ev(1, {
      event: "run_started",
      entity_type: "run",
      entity_id: "r1",
      event_type: "system",
      metadata: {
        record: {
          run_id: "r1",
          started_at: "2026-01-02T03:00:00.000Z",
          status: "running",
          pid: 1,
          host: "h",
        },
      },
    }),
    ev(2, { event: "workstream_started", entity_type: "workstream", entity_id: "ws", to_state: "executing" }),
    ev(3, {
      event: "task_registered",
      entity_type: "task",
      entity_id: "t1",
      workstream_id: "ws",
      to_state: "queued",
    }),
    ev(4, {
      event: "task_registered",
      entity_type: "task",
      entity_id: "t2",
      workstream_id: "ws",
      to_state: "pending",
      metadata: { record: { dependencies: ["t1"] } },
    }),
    ev(5, {
      event: "task_started",
      entity_type: "task",
      entity_id: "t1",
      workstream_id: "ws",
      from_state: "queued",
      to_state: "running",
    }),
    ev(6, {
      event: "task_timeout",
      entity_type: "task",
      entity_id: "t1",
      workstream_id: "ws",
      severity: "warning",
    }),
  ];
  const model = createStateModel();
  for (const e of events) applyEvent(model, e);
  mkdirSync(join(root, ".state"));
  writeFileSync(join(root, ".state", "current.json"), JSON.stringify(snapshotFromModel(model, events)));
  writeFileSync(
    join(root, ".state", "transitions.jsonl"),
    events.map((e) => `${JSON.stringify(e)}\n`).join(""),
  );
  return root;
}

describe("weft metrics (OBS-001/002)", () => {
  it("prints the metrics document computed from .state, read-only", async () => {
    const cwd = repo();
    const r = await runWeft(["metrics"], { cwd });
    expect(r.code).toBe(0);
    const m = MetricsDocument.parse(JSON.parse(r.stdout));
    expect(m.tasks).toMatchObject({ running: 1, pending: 1 });
    expect(m.errors).toEqual({ task_timeout: 1 });
    expect(existsSync(join(cwd, ".state", "metrics.json"))).toBe(false);
  });

  it("prints Prometheus text with the configured prefix, and --write stores metrics.json + history", async () => {
    const cwd = repo();
    writeFileSync(
      join(cwd, "weft.config.json"),
      JSON.stringify({ schema_version: "1.0.0", metrics: { prefix: "acme_" } }),
    );
    const r = await runWeft(["metrics", "--format", "prometheus", "--write"], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('acme_tasks{status="running"} 1');
    expect(r.stdout).toContain('acme_errors_total{event="task_timeout"} 1');
    expect(JSON.parse(readFileSync(join(cwd, ".state", "metrics.json"), "utf8")).tasks.running).toBe(1);
    expect(
      readFileSync(join(cwd, ".state", "metrics", "history-20260102.jsonl"), "utf8").split("\n"),
    ).toHaveLength(2);
  });

  it("rejects an unknown format with exit 2 and works without any state", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "weft-cli-obs-"));
    expect((await runWeft(["metrics", "--format", "xml"], { cwd })).code).toBe(2);
    const r = await runWeft(["metrics", "--json"], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).tasks.running).toBe(0);
  });
});

describe("weft serve (OBS-002, DESIGN §7)", () => {
  it("refuses a non-loopback host without a token (exit 2)", async () => {
    const r = await runWeft(["serve", "--host", "0.0.0.0", "--port", "0"], { cwd: repo() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("without a token");
    expect((await runWeft(["serve", "--port", "70000"], { cwd: repo() })).code).toBe(2);
  });

  it("serves until the signal aborts, printing the URL to stderr", async () => {
    const cwd = repo();
    const controller = new AbortController();
    let stderr = "";
    let resolveUrl!: (u: string) => void;
    const url = new Promise<string>((r) => {
      resolveUrl = r;
    });
    let stdout = "";
    const done = runCli(["serve", "--port", "0", "--json"], {
      cwd,
      services: { version: "0.0.0-test", logger: silentLogger },
      io: {
        stdout: (t) => {
          stdout += t;
        },
        stderr: (t) => {
          stderr += t;
          const m = /dashboard at (http:\/\/\S+\/)/.exec(stderr);
          if (m) resolveUrl(m[1]!);
        },
        isTTY: false,
        columns: 100,
        env: {},
        now: () => new Date("2026-01-02T03:00:30.000Z"),
        signal: controller.signal,
        hardSignal: new AbortController().signal,
      },
    });
    const base = await url;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const metrics = await fetch(`${base}metrics`);
    expect(metrics.headers.get("content-type")).toContain("version=0.0.4");
    expect(await metrics.text()).toContain('weft_tasks{status="running"} 1');
    expect(((await (await fetch(`${base}api/state`)).json()) as { seq: number }).seq).toBe(6);
    controller.abort();
    expect(await done).toBe(0);
    expect(stderr).toContain("stopped");
    expect(JSON.parse(stdout)).toEqual({ listening: base, metrics: `${base}metrics` });
  });
});
