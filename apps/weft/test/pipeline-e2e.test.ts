/**
 * Issue 6, end to end through the real `weft` binary: EDIT (aider, the fake on PATH) → STATIC (lint) → RUNTIME
 * (tests) in a temp git repo. The first AI edit breaks a test, the `tests_passing` gate fails, the PIPELINE fix
 * attempt (prompt carrying the gate's output) repairs it, the gates pass, the branch merges, and `weft explain`
 * shows both attempts with their tokens and cost (AIDER-INT-003, SPEC §4 PIPELINE).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const weftBin = join(root, "apps", "weft", "dist", "weft.js");
const fakeAiderDir = join(root, "packages", "adapter-aider", "test", "fixtures", "fake-aider");

// biome-ignore lint/suspicious/noTemplateCurlyInString: source text of src/greeting.js, not a template
const HELLO = "return `Hello, ${who}!`;";
// biome-ignore lint/suspicious/noTemplateCurlyInString: source text of src/greeting.js, not a template
const BROKEN = "return `Hi, ${who}!`;";
const DOC = "/** Greets `name` (blank: the world). */";

describe("weft run: aider edit breaks a test → PIPELINE fix → gates pass → merge", () => {
  let work: string;
  let repo: string;
  let env: NodeJS.ProcessEnv;
  let run: { status: number | null; stdout: string; stderr: string };
  const weft = (...args: string[]) =>
    spawnSync(process.execPath, [weftBin, ...args], { cwd: repo, env, encoding: "utf8" });
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "weft-pipeline-"));
    repo = join(work, "repo");
    cpSync(join(root, "examples", "basic"), repo, { recursive: true });
    rmSync(join(repo, "tasks", "ws-002"), { recursive: true });
    rmSync(join(repo, "tools"), { recursive: true });
    const config = JSON.parse(readFileSync(join(repo, "weft.config.json"), "utf8"));
    config.workers.count = 1;
    config.fix_attempts = 2;
    config.aider = { binary: "aider", model: "gpt-4o", env_allowlist: ["FAKE_AIDER_SCENARIO"] };
    writeFileSync(join(repo, "weft.config.json"), `${JSON.stringify(config, null, 2)}\n`);
    const taskFile = join(repo, "tasks", "ws-001", "task-001.json");
    const task = JSON.parse(readFileSync(taskFile, "utf8"));
    task.validation_rules.post_execution = ["no_lint_errors", "tests_passing"];
    writeFileSync(taskFile, `${JSON.stringify(task, null, 2)}\n`);
    writeFileSync(join(repo, ".gitignore"), ".state/\n.weft/\n");

    const scenario = join(work, "scenario.json");
    writeFileSync(
      scenario,
      JSON.stringify({
        record_file: join(work, "record.jsonl"),
        runs: [
          {
            edits: [
              {
                file: "src/greeting.js",
                search: "function greet(name) {",
                replace: `${DOC}\nfunction greet(name) {`,
              },
              { file: "src/greeting.js", search: HELLO, replace: BROKEN },
            ],
            commit_message: "feat: friendlier greeting",
            tokens: { sent: 1800, received: 90, cost: 0.0054 },
          },
          {
            edits: [{ file: "src/greeting.js", search: BROKEN, replace: HELLO }],
            commit_message: "fix: greet says Hello again",
            tokens: { sent: 2600, received: 70, cost: 0.0072 },
          },
        ],
      }),
    );
    env = {
      ...process.env,
      PATH: [fakeAiderDir, process.env.PATH ?? ""].join(delimiter),
      FAKE_AIDER_SCENARIO: scenario,
      OPENAI_API_KEY: "sk-test-not-a-real-key", // the fake, like Aider, wants a key; it never leaves this machine
      NO_COLOR: "1",
    };
    execFileSync("git", ["init", "-q", "-b", "main"], { cwd: repo });
    git("config", "user.email", "e2e@weft.invalid");
    git("config", "user.name", "weft e2e");
    git("add", "-A");
    git("commit", "-q", "-m", "initial");
    run = weft("run", "--json");
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("exits 0 with the workstream completed and merged", () => {
    expect(run.status, run.stderr + run.stdout.slice(-3000)).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!);
    expect(summary).toMatchObject({
      type: "summary",
      status: "completed",
      workstreams: { "ws-001": "completed" },
    });
    const merged = readFileSync(join(repo, "src", "greeting.js"), "utf8");
    expect(merged).toContain(HELLO); // the fix
    expect(merged).toContain(DOC); // and the part of the first edit that was right
    const subjects = git("log", "--format=%s", "main");
    expect(subjects).toContain("feat: friendlier greeting");
    expect(subjects).toContain("fix: greet says Hello again");
    expect(git("branch", "--list", "weft/ws-001")).toBe(""); // completed → branch and worktree removed
    expect(existsSync(join(repo, ".weft", "worktrees", "ws-001"))).toBe(false);
  });

  it("records the failed gate, the fix attempt and the passing gates as events", () => {
    const events = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .filter((e) => e.entity_id === "task-001");
    const path = events.filter((e) => e.to_state !== null).map((e) => `${e.from_state}→${e.to_state}`);
    expect(path).toEqual([
      "pending→queued",
      "queued→running",
      "running→validating",
      "validating→retrying",
      "retrying→queued",
      "queued→running",
      "running→validating",
      "validating→completed",
    ]);
    const fix = events.find((e) => e.to_state === "retrying");
    expect(fix.metadata).toMatchObject({
      gate: "tests_passing",
      fix_attempt: 1,
      error_type: "validation_failed",
    });
    const ends = events.filter((e) => e.trigger === "execution_completed");
    expect(ends.map((e) => e.metadata.attempt_tokens)).toEqual([1890, 2670]);
    expect(ends.map((e) => e.metadata.attempt_cost_usd)).toEqual([0.0054, 0.0072]);
    expect(ends[1].metadata.result).toMatchObject({
      status: "success",
      files_modified: ["src/greeting.js"],
      commit_message: "fix: greet says Hello again",
      metadata: { adapter: "aider", fix: { gate: "tests_passing", fix_attempt: 1 } },
    });
  });

  it("the fix prompt carried the failing test output to Aider", () => {
    const records = readFileSync(join(work, "record.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(2);
    expect(records[1].message.split("\n")[0]).toContain("fix for tests_passing");
    expect(records[1].message).toContain("Hi, Ada!"); // the assertion diff from `node --test`
  });

  it("weft explain shows both attempts with tokens and cost", () => {
    const r = weft("explain", "task-001");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/#1 .*tokens 1890, cost \$0\.0054/);
    expect(r.stdout).toMatch(/#2 \(fix 1\) .*tokens 2670, cost \$0\.0072/);
    expect(r.stdout).toContain("commit: fix: greet says Hello again");
    expect(r.stdout).toMatch(/tests_passing: FAILED/);
    expect(r.stdout).toContain("tokens 4560, cost $0.0126");
  });

  it("wrote .state/metrics.json at the end of the run, tokens and cost included (OBS-001)", () => {
    const metrics = JSON.parse(readFileSync(join(repo, ".state", "metrics.json"), "utf8"));
    expect(metrics.tasks).toMatchObject({ completed: 3, failed: 0 });
    expect(metrics.errors).toEqual({ validation_failed: 1 });
    expect(metrics.tokens_used).toBe(4560);
  });
});
