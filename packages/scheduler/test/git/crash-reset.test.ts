import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createWorkspaceManager } from "../../src/git/index.js";
import { countingRunGit, createTestRepo, ISOLATED_GIT_ENV, sh, type TestRepo } from "./git-fixture.js";

// DESIGN §3 recovery: an agent killed with SIGKILL mid-commit; the next run resets its worktree to the attempt's base.
describe("crash reset after kill -9 of a committing process", () => {
  let repo: TestRepo;
  afterEach(() => repo.cleanup());

  it("resets to the base commit even when the killed process held git locks", async () => {
    repo = await createTestRepo();
    const manager = createWorkspaceManager({ repoRoot: repo.root, runGit: countingRunGit().runGit });
    const prepared = await manager.prepare({ workstream_id: "ws" });
    const base = await manager.headCommit(prepared.path);
    // A stand-in agent: edits, stages and commits in a tight loop, in its own process group.
    const script =
      "i=0; while :; do i=$((i+1)); echo $i >> work.txt; echo $i > src/app.txt; git add -A; git commit -qm step$i; done";
    const child = spawn("sh", ["-c", script], {
      cwd: prepared.path,
      detached: true,
      stdio: "ignore",
      env: {
        ...process.env,
        ...ISOLATED_GIT_ENV,
        GIT_AUTHOR_NAME: "a",
        GIT_AUTHOR_EMAIL: "a@b",
        GIT_COMMITTER_NAME: "a",
        GIT_COMMITTER_EMAIL: "a@b",
      },
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    for (let i = 0; i < 100 && (await sh(prepared.path, "rev-list", "--count", `${base}..HEAD`)) === "0"; i++)
      await sleep(20);
    process.kill(-(child.pid as number), "SIGKILL");
    await exited;
    expect(Number(await sh(repo.root, "rev-list", "--count", `${base}..weft/ws`))).toBeGreaterThan(0);

    const result = await manager.resetToCommit(prepared.path, base);
    expect(result.head).toBe(base);
    expect(await manager.headCommit(prepared.path)).toBe(base);
    expect(await sh(repo.root, "rev-parse", "weft/ws")).toBe(base);
    expect(await manager.isClean(prepared.path)).toBe(true);
    // The next attempt can work and commit normally.
    await writeFile(`${prepared.path}/retry.txt`, "retry\n");
    expect((await manager.commitTaskChanges(prepared.path, { task_id: "t1", name: "retry" })).committed).toBe(
      true,
    );
  });
});
