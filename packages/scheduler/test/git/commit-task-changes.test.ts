import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createWorkspaceManager } from "../../src/git/index.js";
import { countingRunGit, createTestRepo, sh, type TestRepo } from "./git-fixture.js";

// SPEC §5: after a task succeeds its leftovers are committed on weft/{ws} with a Weft-Task trailer.
describe("commitTaskChanges (SPEC §5 per-task commits)", () => {
  let repo: TestRepo;
  afterEach(() => repo.cleanup());

  async function setup(identity = true) {
    repo = await createTestRepo({ identity });
    const counting = countingRunGit();
    const manager = createWorkspaceManager({ repoRoot: repo.root, runGit: counting.runGit });
    const prepared = await manager.prepare({ workstream_id: "ws" });
    return { manager, prepared, calls: counting.calls };
  }

  it("nothing changed: one git status call and no commit", async () => {
    const { manager, prepared, calls } = await setup();
    // Aider's and weft's own files do not count as changes.
    await writeFile(join(prepared.path, ".aider.chat.history.md"), "chat\n");
    await mkdir(join(prepared.path, ".weft"), { recursive: true });
    await writeFile(join(prepared.path, ".weft", "scratch"), "x\n");
    const before = await sh(prepared.path, "rev-parse", "HEAD");
    calls.length = 0;
    const result = await manager.commitTaskChanges(prepared.path, { task_id: "t1", name: "noop" });
    expect(result).toEqual({ committed: false, files: [] });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[0]).toBe("status");
    expect(await sh(prepared.path, "rev-parse", "HEAD")).toBe(before);
  });

  it("changes: one commit with the message and Weft-Task trailer, weft/aider files left out", async () => {
    const { manager, prepared, calls } = await setup();
    await writeFile(join(prepared.path, "src", "app.txt"), "changed\n");
    await writeFile(join(prepared.path, "new file.txt"), "new\n");
    await writeFile(join(prepared.path, ".aider.chat.history.md"), "chat\n");
    const result = await manager.commitTaskChanges(prepared.path, {
      task_id: "t-edit",
      name: "Edit the\napp",
    });
    expect(result.committed).toBe(true);
    expect(result.files).toEqual(expect.arrayContaining(["src/app.txt", "new file.txt"]));
    expect(result.commit).toBe(await sh(prepared.path, "rev-parse", "HEAD"));
    expect(await sh(prepared.path, "log", "-1", "--format=%B")).toBe(
      "weft: Edit the app (t-edit)\n\nWeft-Task: t-edit",
    );
    expect(await sh(prepared.path, "log", "-1", "--format=%(trailers:key=Weft-Task,valueonly)")).toBe(
      "t-edit",
    );
    const files = (await sh(prepared.path, "show", "--name-only", "--format=", "HEAD")).split("\n").sort();
    expect(files).toEqual(["new file.txt", "src/app.txt"]);
    expect(await sh(prepared.path, "log", "-1", "--format=%an <%ae>")).toBe(
      "Repo User <user@example.invalid>",
    );
    expect(await manager.isClean(prepared.path)).toBe(true);
    // A changed task costs three git processes: status, add, commit (the id comes from commit's summary line).
    await writeFile(join(prepared.path, "second.txt"), "2\n");
    calls.length = 0;
    const second = await manager.commitTaskChanges(prepared.path, { task_id: "t-two", name: "second" });
    expect(calls.map((args) => args.find((a) => !a.startsWith("-") && !a.includes("=")))).toEqual([
      "status",
      "add",
      "commit",
    ]);
    expect(second.commit).toBe(await sh(prepared.path, "rev-parse", "HEAD"));
  });

  it("keeps commits the agent made and commits only what it left over", async () => {
    const { manager, prepared } = await setup();
    await writeFile(join(prepared.path, "src", "app.txt"), "agent edit\n");
    await sh(prepared.path, "commit", "-qam", "aider: edit app");
    const agentCommit = await sh(prepared.path, "rev-parse", "HEAD");
    await writeFile(join(prepared.path, "leftover.txt"), "left\n");
    const result = await manager.commitTaskChanges(prepared.path, { task_id: "t2", name: "agent" });
    expect(result.committed).toBe(true);
    expect(await sh(prepared.path, "rev-parse", "HEAD~1")).toBe(agentCommit);
    expect(await sh(prepared.path, "log", "-1", "--format=%s", agentCommit)).toBe("aider: edit app");
    expect(await sh(prepared.path, "log", "--format=%s", "main..HEAD")).toBe(
      "weft: agent (t2)\naider: edit app",
    );
  });

  it("uses the weft identity when the repository has none, and skips hooks", async () => {
    const { manager, prepared } = await setup(false);
    await writeFile(join(repo.root, ".git", "hooks", "pre-commit"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    const marker = join(repo.base, "post-commit-ran");
    await writeFile(join(repo.root, ".git", "hooks", "post-commit"), `#!/bin/sh\ntouch ${marker}\n`, {
      mode: 0o755,
    });
    await writeFile(join(prepared.path, "a.txt"), "a\n");
    const result = await manager.commitTaskChanges(prepared.path, { task_id: "t3", name: "identity" });
    expect(result.committed).toBe(true);
    expect(await sh(prepared.path, "log", "-1", "--format=%an <%ae>|%cn <%ce>")).toBe(
      "weft <weft@localhost>|weft <weft@localhost>",
    );
    await expect(stat(marker)).rejects.toThrow();
  });

  it("reports deletions and the git_clean gate sees dirt", async () => {
    const { manager, prepared } = await setup();
    await sh(prepared.path, "rm", "-q", "README.md");
    expect(await manager.isClean(prepared.path)).toBe(false);
    expect(await manager.changedFiles(prepared.path)).toEqual(["README.md"]);
    const result = await manager.commitTaskChanges(prepared.path, { task_id: "t4", name: "delete" });
    expect(result.committed).toBe(true);
    expect(await sh(prepared.path, "show", "--name-status", "--format=", "HEAD")).toBe("D\tREADME.md");
  });

  it("parallel tasks of one workstream commit concurrently in the same worktree without lock errors", async () => {
    const { manager, prepared } = await setup();
    const ids = ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"];
    await Promise.all(ids.map((id) => writeFile(join(prepared.path, `${id}.txt`), `${id}\n`)));
    const results = await Promise.all(
      ids.map((id) => manager.commitTaskChanges(prepared.path, { task_id: id, name: id })),
    );
    // The first commit takes every leftover file; the others find nothing left.
    expect(results.filter((r) => r.committed)).toHaveLength(1);
    expect(await manager.isClean(prepared.path)).toBe(true);
    expect((await sh(prepared.path, "ls-files")).split("\n")).toEqual(
      expect.arrayContaining(ids.map((id) => `${id}.txt`)),
    );
  });

  it("with paths: commits only the task's own files and leaves a parallel task's files alone", async () => {
    const { manager, prepared } = await setup();
    await writeFile(join(prepared.path, "mine.txt"), "mine\n");
    await writeFile(join(prepared.path, "src", "app.txt"), "mine too\n");
    await writeFile(join(prepared.path, "theirs.txt"), "half-done by another task\n");
    await sh(prepared.path, "add", "theirs.txt"); // even when the other task staged it
    const result = await manager.commitTaskChanges(
      prepared.path,
      { task_id: "t-own", name: "own" },
      { paths: ["mine.txt", "src/app.txt", "not-changed.txt"] },
    );
    expect(result.committed).toBe(true);
    expect((await sh(prepared.path, "show", "--name-only", "--format=", "HEAD")).split("\n").sort()).toEqual([
      "mine.txt",
      "src/app.txt",
    ]);
    expect(await manager.changedFiles(prepared.path)).toEqual(["theirs.txt"]);
    expect(
      await manager.commitTaskChanges(
        prepared.path,
        { task_id: "t-none", name: "none" },
        { paths: ["mine.txt"] },
      ),
    ).toEqual({ committed: false, files: [] });
    await expect(
      manager.commitTaskChanges(prepared.path, { task_id: "t-bad", name: "bad" }, { paths: ["../x"] }),
    ).rejects.toMatchObject({ code: "SCHED_PATH_OUTSIDE_REPO" });
  });

  it("waits for a git lock another process holds on the worktree's index", async () => {
    const { manager, prepared } = await setup();
    await writeFile(join(prepared.path, "x.txt"), "x\n");
    const lock = join(repo.root, ".git", "worktrees", "ws", "index.lock");
    await writeFile(lock, "");
    const released = new Promise<void>((resolve) =>
      setTimeout(() => void rm(lock).then(() => resolve()), 150),
    );
    const result = await manager.commitTaskChanges(prepared.path, { task_id: "t-lock", name: "lock" });
    await released;
    expect(result.committed).toBe(true);
  });

  it("never commits in the main working tree", async () => {
    const { manager } = await setup();
    await writeFile(join(repo.root, "README.md"), "user edit\n");
    await expect(manager.commitTaskChanges(repo.root, { task_id: "t5", name: "x" })).rejects.toMatchObject({
      code: "SCHED_WORKTREE_UNSAFE",
    });
    expect(await sh(repo.root, "status", "--porcelain")).toBe("M README.md");
  });

  it("refuses an invalid task id", async () => {
    const { manager, prepared } = await setup();
    await expect(
      manager.commitTaskChanges(prepared.path, { task_id: "a b", name: "x" }),
    ).rejects.toMatchObject({
      code: "ID_INVALID",
    });
  });
});
