import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openStateStore } from "@weft/state-store";
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/create-engine.js";
import { createWorkspacePort } from "../src/git/create-workspace-port.js";
import { createWorkspaceManager } from "../src/git/workspace-manager.js";
import { config, repoOf, resource, task, tempDir, workstream } from "./helpers.js";

const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", ["-C", cwd, ...args], { encoding: "utf8" }).trim();

function initRepo(): string {
  const dir = tempDir("weft-e2e-");
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "user.email", "t@example.invalid");
  git(dir, "config", "user.name", "t");
  writeFileSync(join(dir, "README.md"), "# project\nline two\n");
  writeFileSync(join(dir, ".gitignore"), ".state/\n.weft/\n");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "initial");
  return dir;
}

/**
 * The end-to-end scenario of the issue: two workstreams (ui depends on api), resource contention, a flaky task that
 * passes on retry, a task that times out, a gate that fails, a non-critical failure, and a merge conflict.
 */
describe("e2e: two workstreams in a temp git repo (SM-DEF-001/002, CONC-REG-002, ERR-FM-*)", () => {
  it("ends with the states, events, files and git history SPEC describes", async () => {
    const repo = initRepo();
    const stamp = (id: string) => `echo "start ${id}" >> "$WEFT_WORKTREE/../db-${id}.log"`;
    const tasks = [
      // api: contention on an exclusive resource, a flaky task, and an edit of README line 1
      task("api-schema", "api", {
        command: `${stamp("a")}; sleep 0.3; echo 'CREATE TABLE t;' > schema.sql`,
        resource_requirements: { db: "exclusive" },
      }),
      task("api-seed", "api", {
        command: `${stamp("b")}; sleep 0.3; echo 'INSERT 1;' > seed.sql`,
        resource_requirements: { db: "exclusive" },
      }),
      task("api-flaky", "api", {
        command:
          'if [ -f "$WEFT_WORKTREE/../flaky.once" ]; then echo ok > flaky.txt; exit 0; fi; touch "$WEFT_WORKTREE/../flaky.once"; exit 7',
        execution: { max_retries: 2, retry_delay_seconds: 0.05 },
      }),
      task("api-readme", "api", {
        command: "printf '# project (api)\\nline two\\n' > README.md",
        dependencies: ["api-schema", "api-seed", "api-flaky"],
      }),
      // ui (depends_on api): a timing-out non-critical task and a non-critical task whose gate fails
      task("ui-build", "ui", { command: "test -f schema.sql && echo built > ui.txt" }),
      task("ui-slow", "ui", {
        command: "sleep 30",
        critical: false,
        execution: { timeout_seconds: 0.5, max_retries: 0 },
      }),
      task("ui-lint", "ui", {
        type: "lint",
        command: "echo linted",
        critical: false,
        validation_rules: { post_execution: ["no_lint_errors"] },
      }),
      // docs (independent, slower): edits README line 1 differently → merge conflict after api merged
      task("docs-readme", "docs", {
        command: "sleep 1.5; printf '# project (docs)\\nline two\\n' > README.md",
      }),
    ];
    const cfg = config({
      gates: { no_lint_errors: "echo 'lint.txt: E999 fake lint error' >&2; exit 1" },
      defaults: { kill_grace_seconds: 0.2 },
    });
    const { store } = await openStateStore({ stateDir: join(repo, ".state") });
    const manager = createWorkspaceManager({ repoRoot: repo });
    const workspace = createWorkspacePort(manager);
    const engine = createEngine({
      repo: repoOf({
        tasks,
        workstreams: [
          workstream("api"),
          workstream("ui", { depends_on: ["api"], final_validation: ["git_clean"] }),
          workstream("docs"),
        ],
        resources: [resource({ ResourceId: "db", Type: "exclusive" })],
        config: cfg,
      }),
      repoRoot: repo,
      store,
      workspace,
      workers: 3,
      isolation: "worktree",
    });
    const summary = await engine.run();
    await store.close();

    // ---- final states
    expect(summary.workstreams).toEqual({ api: "completed", docs: "failed", ui: "completed" });
    expect(summary.status).toBe("failed");
    const lines = readFileSync(join(repo, ".state", "transitions.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const current = JSON.parse(readFileSync(join(repo, ".state", "current.json"), "utf8"));
    const st = (id: string) => current.tasks.find((t: { task_id: string }) => t.task_id === id).status;
    expect(["api-schema", "api-seed", "api-flaky", "api-readme", "ui-build", "docs-readme"].map(st)).toEqual(
      Array(6).fill("completed"),
    );
    expect(st("ui-slow")).toBe("failed");
    expect(st("ui-lint")).toBe("failed");

    // ---- events with the right severity
    const ev = (name: string) => lines.filter((l) => l.event === name);
    expect(ev("task_retry").map((e) => [e.entity_id, e.severity])).toEqual([["api-flaky", "warning"]]);
    expect(ev("task_timeout").map((e) => [e.entity_id, e.severity, e.to_state])).toEqual([
      ["ui-slow", "error", "failed"],
    ]);
    expect(ev("validation_failed").map((e) => [e.entity_id, e.severity])).toEqual([["ui-lint", "error"]]);
    const conflict = ev("merge_conflict");
    expect(conflict).toHaveLength(1);
    expect(conflict[0].entity_id).toBe("docs");
    expect(conflict[0].severity).toBe("error");
    expect(conflict[0].metadata.conflicting_files).toEqual(["README.md"]);
    // every state change is a legal machine transition in order: seq is gap-free
    for (const [i, l] of lines.entries()) expect(l.seq).toBe(i + 1);

    // ---- resource contention: the two db tasks ran one after the other
    const startOf = (id: string) => lines.find((l) => l.entity_id === id && l.to_state === "running").seq;
    const endOf = (id: string) => lines.find((l) => l.entity_id === id && l.to_state === "validating").seq;
    const [first, second] =
      startOf("api-schema") < startOf("api-seed") ? ["api-schema", "api-seed"] : ["api-seed", "api-schema"];
    expect(endOf(first)).toBeLessThan(startOf(second));

    // ---- workstream order: ui started after api completed
    const apiDone = lines.find((l) => l.entity_id === "api" && l.to_state === "completed").seq;
    const uiStart = lines.find((l) => l.entity_id === "ui-build" && l.to_state === "running").seq;
    expect(uiStart).toBeGreaterThan(apiDone);

    // ---- files and git history on the target branch
    expect(git(repo, "show", "main:README.md")).toBe("# project (api)\nline two");
    expect(git(repo, "show", "main:schema.sql")).toBe("CREATE TABLE t;");
    expect(git(repo, "show", "main:ui.txt")).toBe("built");
    const log = git(repo, "log", "main", "--format=%B%x00");
    expect(log).toMatch(/Weft-Task: api-readme/);
    expect(log).toMatch(/Weft-Task: ui-build/);
    expect(log).not.toMatch(/docs-readme/);
    expect(git(repo, "status", "--porcelain")).toBe("");
    // failed workstream: branch and worktree kept, state archived; completed ones: worktree removed
    expect(git(repo, "branch", "--list", "weft/docs")).toContain("weft/docs");
    const worktrees = git(repo, "worktree", "list", "--porcelain");
    expect(worktrees).toMatch(/weft\/docs/);
    expect(worktrees).not.toMatch(/weft\/api/);
    expect(existsSync(join(repo, ".state", "archive", "workstreams", "docs"))).toBe(true);
    // task output went to the task logs
    expect(readFileSync(join(repo, ".state", "logs", "ui-lint.log"), "utf8")).toMatch(/E999 fake lint error/);
  });
});
