import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRepo } from "../src/index.js";

// 100 workstreams × 100 tasks, shaped like the SPEC §3 example. The loader must stay well under 1 s for this on
// an ordinary machine; the test prints the time and asserts only correctness (timings belong to `pnpm bench`).
const WORKSTREAMS = 100;
const PER_WS = 100;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "weft-loader-10k-"));
  for (let w = 0; w < WORKSTREAMS; w++) {
    const ws = `ws-${String(w).padStart(3, "0")}`;
    mkdirSync(join(dir, "tasks", ws), { recursive: true });
    for (let i = 0; i < PER_WS; i++) {
      const id = `t-${w}-${i}`;
      const task = {
        schema_version: "2.0.0",
        task_id: id,
        workstream_id: ws,
        name: `Task ${i} of ${ws}`,
        description: "Generated for the loader's 10,000-file test",
        type: i % 3 === 0 ? "aider" : i % 3 === 1 ? "lint" : "pytest",
        status: "pending",
        dependencies: i > 0 ? [`t-${w}-${i - 1}`] : [],
        blocks: [],
        critical: true,
        worker_requirements: { capabilities: ["node"] },
        execution: {
          command: "node --test",
          working_directory: ".",
          timeout_seconds: 60,
          max_retries: 1,
          retry_delay_seconds: 5,
        },
        context_requirements: {
          max_context_tokens: 8000,
          required_files: ["src/a.js"],
          optional_files: [],
          exclude_patterns: [],
        },
        validation_rules: { pre_execution: [], post_execution: [] },
        resource_requirements: { cpu: 1 },
      };
      // One file in the middle is broken: it must be found among the 10,000.
      const text =
        w === 42 && i === 42
          ? JSON.stringify(task, null, 2).replace('"timeout_seconds": 60', '"timeout_seconds": "60"')
          : JSON.stringify(task, null, 2);
      writeFileSync(join(dir, "tasks", ws, `${id}.json`), text);
    }
  }
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("loadRepo at scale", () => {
  it("loads 10,000 task files and finds the one broken file", async () => {
    const started = performance.now();
    const { repo, issues } = await loadRepo({ cwd: dir });
    const ms = performance.now() - started;
    console.log(`loadRepo: ${WORKSTREAMS * PER_WS} task files in ${ms.toFixed(0)} ms`);
    expect(issues.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual([
      "tasks/ws-042/t-42-42.json:22:24 LOADER_SCHEMA",
    ]);
    expect(repo.tasks).toHaveLength(WORKSTREAMS * PER_WS - 1);
    expect(repo.workstreams).toHaveLength(WORKSTREAMS);
    expect(repo.tasks[0]!.task_id).toBe("t-0-0");
    expect(repo.tasks.at(-1)!.task_id).toBe("t-99-99");
    expect(new Set(repo.tasks.map((t) => t.task_id)).size).toBe(repo.tasks.length);
    expect(Object.keys(repo.files)).toHaveLength(WORKSTREAMS * PER_WS);
  }, 120_000);
});
