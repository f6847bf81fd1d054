import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStateStore } from "@weft/state-store";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const cli = fileURLToPath(new URL("../../../apps/weft/dist/weft.js", import.meta.url));
const weft = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CI: "1", USER: "tester" },
  });

function writeTask(dir: string, ws: string, id: string, fields: Record<string, unknown>): void {
  mkdirSync(join(dir, "tasks", ws), { recursive: true });
  writeFileSync(
    join(dir, "tasks", ws, `${id}.json`),
    JSON.stringify({
      schema_version: "2.0.0",
      task_id: id,
      workstream_id: ws,
      name: id,
      type: "custom",
      ...fields,
    }),
  );
}

/** `weft run` / `weft retry` / `weft cancel` through the built CLI (DESIGN §2 exit codes, manual_override). */
describe.runIf(existsSync(cli))("weft run / retry / cancel (CLI)", () => {
  it("exit 1 when a workstream fails, NDJSON with --json; retry is a manual_override and the next run completes", () => {
    const dir = tempDir("weft-cli-");
    writeTask(dir, "ws", "a", { execution: { command: "test -f fixed" } });
    writeTask(dir, "ws", "b", { dependencies: ["a"], execution: { command: "echo done > b.txt" } });
    const first = weft(dir, "run", "--isolation", "none", "--workers", "1", "--json");
    expect(first.status).toBe(1);
    const lines = first.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ type: "summary", status: "failed", exit_code: 1 });
    expect(
      lines.some((l) => l.event === "task_failed" && l.entity_id === "a" && l.severity === "error"),
    ).toBe(true);
    expect(lines.some((l) => l.event === "task_blocked" && l.entity_id === "b")).toBe(true);

    writeFileSync(join(dir, "fixed"), "");
    const retry = weft(dir, "retry", "a");
    expect(retry.status).toBe(0);
    const log = readFileSync(join(dir, ".state", "transitions.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const manual = log.filter((l) => l.event_type === "manual_override");
    expect(manual.map((l) => `${l.entity_id}:${l.to_state}:${l.actor}`)).toEqual([
      "a:pending:user:tester",
      "b:pending:user:tester",
      "ws:executing:user:tester",
    ]);
    const second = weft(dir, "run", "--isolation", "none");
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/task_completed task:b/);
    expect(readFileSync(join(dir, "b.txt"), "utf8")).toBe("done\n");
  }, 180_000);

  it("cancel of a workstream is a manual_override; usage errors exit 2; --dry-run runs nothing", () => {
    const dir = tempDir("weft-cli-");
    writeTask(dir, "ws", "a", { execution: { command: "touch ran" } });
    const dry = weft(dir, "run", "--dry-run", "--isolation", "none");
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/1\. a/);
    expect(existsSync(join(dir, "ran"))).toBe(false);
    expect(weft(dir, "run", "--isolation", "sideways").status).toBe(2);
    expect(weft(dir, "run", "--workstream", "nope").status).toBe(2);
    // ws fails, so later (depends_on ws) never starts; cancelling it is a manual_override
    writeTask(dir, "ws", "a", { execution: { command: "exit 1" } });
    writeTask(dir, "later", "l1", { execution: { command: "touch l1" } });
    writeFileSync(
      join(dir, "tasks", "later", "_workstream.json"),
      JSON.stringify({ workstream_id: "later", depends_on: ["ws"] }),
    );
    expect(weft(dir, "run", "--isolation", "none").status).toBe(1);
    const cancel = weft(dir, "cancel", "later");
    expect(cancel.status).toBe(0);
    const log = readFileSync(join(dir, ".state", "transitions.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const manual = log.filter((l) => l.event_type === "manual_override");
    expect(manual.map((l) => `${l.entity_id}:${l.from_state}>${l.to_state}`)).toEqual([
      "later:ready>cancelled",
      "l1:pending>cancelled",
    ]);
    expect(existsSync(join(dir, "l1"))).toBe(false);
  }, 180_000);

  it("a run archives closed days of the log when it starts and writes metrics.json (AUDIT-002, OBS-001)", async () => {
    const dir = tempDir("weft-cli-");
    writeTask(dir, "ws", "a", { execution: { command: "true" } });
    // a log with one event from a closed (past) UTC day
    const { store } = await openStateStore({
      stateDir: join(dir, ".state"),
      now: () => new Date("2026-03-01T10:00:00.000Z"),
    });
    store.commit([
      {
        event: "orchestrator_recovered",
        event_type: "system",
        severity: "warning",
        entity_type: "system",
        entity_id: "orchestrator",
      },
    ]);
    await store.close();
    const run = weft(dir, "run", "--isolation", "none");
    expect(run.status, run.stderr).toBe(0);
    const archived = join(dir, ".state", "archive", "transitions", "2026", "03");
    expect(readdirSync(archived)).toEqual(["transitions_20260301.jsonl.gz"]);
    const live = readFileSync(join(dir, ".state", "transitions.jsonl"), "utf8");
    expect(live).not.toContain('"orchestrator_recovered"'); // moved, not copied
    const metrics = JSON.parse(readFileSync(join(dir, ".state", "metrics.json"), "utf8"));
    expect(metrics.tasks).toMatchObject({ completed: 1, failed: 0 });
  }, 180_000);
});
