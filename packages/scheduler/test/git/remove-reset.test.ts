import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorkspaceManager, type WorkspaceManager } from "../../src/git/index.js";
import { countingRunGit, createTestRepo, sh, type TestRepo } from "./git-fixture.js";

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function branchExists(root: string, branch: string): Promise<boolean> {
  return (await sh(root, "branch", "--list", branch)) !== "";
}

// SPEC §5: destructive git operations are weft's own, with fail-closed checks.
describe("remove (fail-closed)", () => {
  let repo: TestRepo;
  let manager: WorkspaceManager;
  beforeEach(async () => {
    repo = await createTestRepo();
    manager = createWorkspaceManager({ repoRoot: repo.root, runGit: countingRunGit().runGit });
  });
  afterEach(() => repo.cleanup());

  async function withCommit(ws: string) {
    const prepared = await manager.prepare({ workstream_id: ws });
    await writeFile(join(prepared.path, `${ws}.txt`), `${ws}\n`);
    await manager.commitTaskChanges(prepared.path, { task_id: `${ws}-t`, name: ws });
    return prepared;
  }

  it("refuses a worktree with uncommitted changes", async () => {
    const prepared = await manager.prepare({ workstream_id: "ws" });
    await writeFile(join(prepared.path, "wip.txt"), "wip\n");
    await expect(manager.remove("ws", { target: "main" })).rejects.toMatchObject({
      code: "SCHED_WORKTREE_UNSAFE",
    });
    expect(await readFile(join(prepared.path, "wip.txt"), "utf8")).toBe("wip\n");
  });

  it("refuses a branch with commits not merged into the target (and without a target)", async () => {
    const prepared = await withCommit("ws");
    await expect(manager.remove("ws", { target: "main" })).rejects.toMatchObject({
      code: "SCHED_WORKTREE_UNSAFE",
    });
    await expect(manager.remove("ws")).rejects.toMatchObject({ code: "SCHED_WORKTREE_UNSAFE" });
    expect(await exists(prepared.path)).toBe(true);
    expect(await branchExists(repo.root, "weft/ws")).toBe(true);
  });

  it("after a merge: removes the worktree and deletes the branch", async () => {
    const prepared = await withCommit("ws");
    expect((await manager.merge("ws", { target: "main", strategy: "merge" })).ok).toBe(true);
    expect(await manager.remove("ws", { target: "main", completed: true })).toEqual({
      removedWorktree: true,
      deletedBranch: true,
    });
    expect(await exists(prepared.path)).toBe(false);
    expect(await branchExists(repo.root, "weft/ws")).toBe(false);
    expect(await sh(repo.root, "worktree", "list", "--porcelain")).not.toContain("ws");
  });

  it("after a squash merge: the branch counts as merged by content and is deleted", async () => {
    await withCommit("ws");
    expect((await manager.merge("ws", { target: "main", strategy: "squash" })).ok).toBe(true);
    expect(await manager.remove("ws", { target: "main" })).toEqual({
      removedWorktree: true,
      deletedBranch: true,
    });
  });

  it("completed with strategy none: the worktree goes, the unmerged branch stays", async () => {
    const prepared = await withCommit("ws");
    expect(await manager.remove("ws", { target: "main", completed: true })).toEqual({
      removedWorktree: true,
      deletedBranch: false,
      branchKept: "unmerged",
    });
    expect(await exists(prepared.path)).toBe(false);
    expect(await sh(repo.root, "show", "weft/ws:ws.txt")).toBe("ws");
  });

  it("force removes a dirty worktree but never deletes unmerged commits", async () => {
    const prepared = await withCommit("ws");
    await writeFile(join(prepared.path, "wip.txt"), "wip\n");
    const result = await manager.remove("ws", { target: "main", force: true });
    expect(result).toMatchObject({ removedWorktree: true, deletedBranch: false });
    expect(await branchExists(repo.root, "weft/ws")).toBe(true);
  });

  it("refuses a worktree that is locked", async () => {
    const prepared = await manager.prepare({ workstream_id: "ws" });
    await sh(repo.root, "worktree", "lock", prepared.path);
    await expect(manager.remove("ws", { target: "main", completed: true })).rejects.toMatchObject({
      code: "SCHED_WORKTREE_UNSAFE",
    });
    expect(await exists(prepared.path)).toBe(true);
  });
});

// DESIGN §3 crash recovery: reset the worktree to the attempt's base commit, nowhere else.
describe("resetToCommit (crash recovery)", () => {
  let repo: TestRepo;
  let manager: WorkspaceManager;
  beforeEach(async () => {
    repo = await createTestRepo();
    manager = createWorkspaceManager({ repoRoot: repo.root, runGit: countingRunGit().runGit });
  });
  afterEach(() => repo.cleanup());

  it("drops the crashed attempt's commits, edits and untracked files; keeps ignored files", async () => {
    const prepared = await manager.prepare({ workstream_id: "ws" });
    const base = await manager.headCommit(prepared.path);
    await writeFile(join(prepared.path, "src", "app.txt"), "half-done\n");
    await sh(prepared.path, "commit", "-qam", "agent commit during the crashed attempt");
    await writeFile(join(prepared.path, "README.md"), "dirty\n");
    await mkdir(join(prepared.path, "newdir"));
    await writeFile(join(prepared.path, "newdir", "untracked.txt"), "u\n");
    await mkdir(join(prepared.path, "deps"));
    await writeFile(join(prepared.path, "deps", "ignored.txt"), "keep\n");
    const result = await manager.resetToCommit(prepared.path, base);
    expect(result.head).toBe(base);
    expect(await manager.headCommit(prepared.path)).toBe(base);
    expect(await sh(prepared.path, "symbolic-ref", "HEAD")).toBe("refs/heads/weft/ws");
    expect(await manager.isClean(prepared.path)).toBe(true);
    expect(await exists(join(prepared.path, "newdir"))).toBe(false);
    expect(await readFile(join(prepared.path, "src", "app.txt"), "utf8")).toBe("line 1\nline 2\nline 3\n");
    expect(await readFile(join(prepared.path, "deps", "ignored.txt"), "utf8")).toBe("keep\n");
  });

  it("clears git locks a killed agent left behind (index.lock, branch ref lock)", async () => {
    const prepared = await manager.prepare({ workstream_id: "ws" });
    const base = await manager.headCommit(prepared.path);
    await writeFile(join(prepared.path, "src", "app.txt"), "half\n");
    const gitDir = join(repo.root, ".git", "worktrees", "ws");
    await writeFile(join(gitDir, "index.lock"), "");
    await mkdir(join(repo.root, ".git", "refs", "heads", "weft"), { recursive: true });
    await writeFile(join(repo.root, ".git", "refs", "heads", "weft", "ws.lock"), "");
    await manager.resetToCommit(prepared.path, base);
    expect(await manager.isClean(prepared.path)).toBe(true);
    await writeFile(join(prepared.path, "next.txt"), "next attempt\n");
    expect((await manager.commitTaskChanges(prepared.path, { task_id: "t", name: "next" })).committed).toBe(
      true,
    );
  });

  it("never resets the main working tree", async () => {
    await writeFile(join(repo.root, "README.md"), "user edit\n");
    const head = await sh(repo.root, "rev-parse", "HEAD");
    await expect(manager.resetToCommit(repo.root, head)).rejects.toMatchObject({
      code: "SCHED_WORKTREE_UNSAFE",
    });
    expect(await readFile(join(repo.root, "README.md"), "utf8")).toBe("user edit\n");
  });

  it("refuses paths outside the worktrees root, unregistered folders, short ids and non-ancestors", async () => {
    const prepared = await manager.prepare({ workstream_id: "ws" });
    const base = await manager.headCommit(prepared.path);
    await expect(manager.resetToCommit(join(prepared.path, ".."), base)).rejects.toMatchObject({
      code: "SCHED_WORKTREE_UNSAFE",
    });
    const stray = join(repo.root, ".weft", "worktrees", "stray");
    await mkdir(stray, { recursive: true });
    await expect(manager.resetToCommit(stray, base)).rejects.toMatchObject({ code: "SCHED_WORKTREE_UNSAFE" });
    await expect(manager.resetToCommit(join(prepared.path, "src"), base)).rejects.toMatchObject({
      code: "SCHED_WORKTREE_UNSAFE",
    });
    await expect(manager.resetToCommit(prepared.path, base.slice(0, 7))).rejects.toMatchObject({
      code: "SCHED_WORKTREE_UNSAFE",
    });
    // A commit that is not on this branch's history (main moved on): refused.
    await writeFile(join(repo.root, "README.md"), "main moves\n");
    await sh(repo.root, "commit", "-qam", "main moves");
    const mainTip = await sh(repo.root, "rev-parse", "main");
    await writeFile(join(prepared.path, "wip.txt"), "wip\n");
    await expect(manager.resetToCommit(prepared.path, mainTip)).rejects.toMatchObject({
      code: "SCHED_WORKTREE_UNSAFE",
    });
    expect(await readFile(join(prepared.path, "wip.txt"), "utf8")).toBe("wip\n");
  });
});

describe("archiveWorkstreamState (SPEC §5, AUDIT-002)", () => {
  let repo: TestRepo;
  beforeEach(async () => {
    repo = await createTestRepo();
  });
  afterEach(() => repo.cleanup());

  it("writes summary.json atomically and keeps earlier summaries", async () => {
    const manager = createWorkspaceManager({ repoRoot: repo.root });
    const archiveRoot = join(repo.root, ".state", "archive", "workstreams");
    const record = {
      workstream_id: "ws",
      status: "failed",
      archived_at: "2026-11-26T23:00:00.000Z",
      branch: "weft/ws",
      worktree_path: "/tmp/x",
      head_commit: "a".repeat(40),
      conflicts: ["src/app.txt"],
      tasks: [{ task_id: "t1", status: "completed" }],
    };
    const file = await manager.archiveWorkstreamState(archiveRoot, record);
    expect(file).toBe(join(archiveRoot, "ws", "summary.json"));
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual(record);
    await manager.archiveWorkstreamState(archiveRoot, {
      ...record,
      archived_at: "2026-11-27T01:00:00.000Z",
      status: "cancelled",
    });
    expect(JSON.parse(await readFile(file, "utf8")).status).toBe("cancelled");
    const older = JSON.parse(
      await readFile(join(archiveRoot, "ws", "summary.20261126T230000000Z.json"), "utf8"),
    );
    expect(older.status).toBe("failed");
    expect(await exists(`${file}.tmp`)).toBe(false);
    await expect(
      manager.archiveWorkstreamState(archiveRoot, { ...record, workstream_id: "../x" }),
    ).rejects.toMatchObject({
      code: "ID_INVALID",
    });
  });
});
