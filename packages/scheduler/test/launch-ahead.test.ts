import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

// Launch ahead (DESIGN §6): with `--isolation none`, the engine hands the spawn launcher the next plain command of a
// busy worker, to start the moment the current one exits 0. Through the built CLI, real launcher, real processes.
const cli = fileURLToPath(new URL("../../../apps/weft/dist/weft.js", import.meta.url));
const weft = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", env: { ...process.env, CI: "1" } });

function writeTask(dir: string, id: string, fields: Record<string, unknown>): void {
  mkdirSync(join(dir, "tasks", "w"), { recursive: true });
  writeFileSync(
    join(dir, "tasks", "w", `${id}.json`),
    JSON.stringify({
      schema_version: "2.0.0",
      task_id: id,
      workstream_id: "w",
      name: id,
      type: "custom",
      ...fields,
    }),
  );
}

type Ev = {
  event: string;
  entity_id: string;
  task_id?: string;
  from_state: string | null;
  to_state: string | null;
  metadata: { record?: { pid?: number | null } };
};

describe.runIf(existsSync(cli) && process.platform !== "win32")(
  "launch ahead (weft run --isolation none)",
  () => {
    it("chains a worker's commands without a round trip; a failed predecessor's follower runs later, once", () => {
      const dir = tempDir("weft-ahead-");
      // one worker, priorities fix the order; t3 fails (not critical, no retry): t4, launched ahead on it, is dropped
      for (let i = 1; i <= 6; i++) {
        writeTask(dir, `t${i}`, {
          priority: 100 - i,
          critical: i !== 3,
          execution: {
            command: `echo "$WEFT_TASK_ID" >> ran.txt; sleep 0.2${i === 3 ? "; exit 3" : ""}`,
            max_retries: 0,
          },
        });
      }
      const r = weft(dir, "run", "--isolation", "none", "--workers", "1", "--json");
      expect(r.status, r.stderr).toBe(0);
      // each task ran exactly once, in priority order — the dropped t4 included
      expect(readFileSync(join(dir, "ran.txt"), "utf8")).toBe("t1\nt2\nt3\nt4\nt5\nt6\n");
      const events = r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Ev)
        .filter((e) => e.event !== undefined);
      const status = (id: string) =>
        events.filter((e) => e.entity_id === id && e.to_state !== null).at(-1)?.to_state;
      expect(["t1", "t2", "t3", "t4", "t5", "t6"].map(status)).toEqual([
        "completed",
        "completed",
        "failed",
        "completed",
        "completed",
        "completed",
      ]);
      // a task launched ahead is announced with its pid (already running); the others get task_process_spawned after
      const started = events.filter((e) => e.event === "task_started");
      const ahead = started.filter((e) => (e.metadata.record?.pid ?? 0) > 0).map((e) => e.entity_id);
      expect(ahead).toEqual(expect.arrayContaining(["t2", "t3", "t5", "t6"]));
      expect(ahead).not.toContain("t4"); // dropped when t3 failed, then started the ordinary way
      expect(events.filter((e) => e.event === "task_process_spawned").map((e) => e.entity_id)).toEqual(
        expect.arrayContaining(["t1", "t4"]),
      );
      // one worker: busy and idle alternate, and a task starts only while its worker is busy with it
      const worker = events
        .filter((e) => e.event === "worker_busy" || e.event === "worker_idle")
        .map((e) => e.event);
      expect(worker).toEqual(
        Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? "worker_busy" : "worker_idle")),
      );
      // each log: one attempt header with a real start time, then the command's output (none here)
      for (let i = 1; i <= 6; i++) {
        const log = readFileSync(join(dir, ".state", "logs", `t${i}.log`), "utf8");
        expect(log).toMatch(
          new RegExp(
            `^\\n===== weft: attempt 1 of t${i} \\(worker local-1\\.[^)]+\\) at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z =====\\n$`,
          ),
        );
      }
      // the log is legal event by event (state machines, hash chain, snapshot = replay)
      const v = weft(dir, "validate", "state");
      expect(v.status, v.stdout).toBe(0);
    });

    it("a task waiting behind a long command is taken back when another worker falls idle", () => {
      const dir = tempDir("weft-ahead-reclaim-");
      writeFileSync(
        join(dir, "weft.config.json"),
        JSON.stringify({ schema_version: "1.0.0", gates: { ok: "true" } }),
      );
      // long: plain, so y is launched ahead on its worker; short: has a gate, so nothing is launched ahead on it
      writeTask(dir, "long", { priority: 3, execution: { command: "sleep 2" } });
      writeTask(dir, "short", {
        priority: 2,
        execution: { command: "sleep 0.2" },
        validation_rules: { pre_execution: [], post_execution: ["ok"] },
      });
      writeTask(dir, "y", { priority: 1, execution: { command: "echo y > y.txt" } });
      const r = weft(dir, "run", "--isolation", "none", "--workers", "2", "--json");
      expect(r.status, r.stderr).toBe(0);
      const events = r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Ev & { timestamp: string; worker_id?: string })
        .filter((e) => e.event !== undefined);
      const at = (event: string, id: string) => events.find((e) => e.event === event && e.entity_id === id);
      const shortWorker = at("task_started", "short")?.worker_id;
      // y ran on the worker that fell idle, long before `long` ended (not behind it)
      expect(at("task_started", "y")?.worker_id).toBe(shortWorker);
      expect(Date.parse(at("task_completed", "y")!.timestamp)).toBeLessThan(
        Date.parse(at("task_completed", "long")!.timestamp),
      );
      expect(readFileSync(join(dir, "y.txt"), "utf8")).toBe("y\n");
      expect(weft(dir, "validate", "state").status).toBe(0);
    });

    it("a failing task with --fail-fast starts nothing more, even what was launched ahead on it", () => {
      const dir = tempDir("weft-ahead-ff-");
      writeTask(dir, "a", {
        priority: 3,
        execution: { command: "echo a >> ran.txt; sleep 0.2; exit 1", max_retries: 0 },
      });
      writeTask(dir, "b", { priority: 2, execution: { command: "echo b >> ran.txt", max_retries: 0 } });
      writeTask(dir, "c", { priority: 1, execution: { command: "echo c >> ran.txt", max_retries: 0 } });
      const r = weft(dir, "run", "--isolation", "none", "--workers", "1", "--fail-fast", "--json");
      expect(r.status).toBe(1);
      expect(readFileSync(join(dir, "ran.txt"), "utf8")).toBe("a\n");
      expect(weft(dir, "validate", "state").status).toBe(0);
    });
  },
);
