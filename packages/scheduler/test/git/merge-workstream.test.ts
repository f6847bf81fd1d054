import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorkspaceManager, type WorkspaceManager } from "../../src/git/index.js";
import { countingRunGit, createTestRepo, sh, type TestRepo } from "./git-fixture.js";

// SPEC §5: on success the branch is merged into the target; conflicts → failed, files listed, nothing half-merged.
describe("merge (SPEC §5, Merge-Conflict failure mode)", () => {
  let repo: TestRepo;
  let manager: WorkspaceManager;
  beforeEach(async () => {
    repo = await createTestRepo();
    manager = createWorkspaceManager({ repoRoot: repo.root, runGit: countingRunGit().runGit });
  });
  afterEach(() => repo.cleanup());

  async function workstreamWithChange(ws: string, file: string, content: string) {
    const prepared = await manager.prepare({ workstream_id: ws });
    await writeFile(join(prepared.path, file), content);
    await manager.commitTaskChanges(prepared.path, { task_id: `${ws}-t1`, name: `change ${file}` });
    return prepared;
  }

  it("merge strategy, target checked out in the clean main tree: merge commit, main tree updated", async () => {
    const before = await sh(repo.root, "rev-parse", "main");
    const prepared = await workstreamWithChange("ws", "feature.txt", "feature\n");
    const branchTip = await sh(repo.root, "rev-parse", "weft/ws");
    const result = await manager.merge("ws", {
      target: "main",
      strategy: "merge",
      message: "weft: merge ws",
    });
    expect(result).toMatchObject({ ok: true, merged: true, alreadyMerged: false });
    if (!result.ok) throw new Error("unreachable");
    expect(await sh(repo.root, "rev-parse", "main")).toBe(result.commit);
    expect(await sh(repo.root, "rev-list", "--parents", "-1", "main")).toBe(
      `${result.commit} ${before} ${branchTip}`,
    );
    expect(await sh(repo.root, "log", "-1", "--format=%B", "main")).toBe(
      "weft: merge ws\n\nWeft-Workstream: ws",
    );
    // The user's working tree follows its branch and stays clean.
    expect(await readFile(join(repo.root, "feature.txt"), "utf8")).toBe("feature\n");
    expect(await sh(repo.root, "status", "--porcelain")).toBe("");
    // The per-task commit with its trailer is in the target's history.
    expect(
      await sh(repo.root, "log", "--format=%(trailers:key=Weft-Task,valueonly)", "-1", `${result.commit}^2`),
    ).toBe("ws-t1");
    expect(prepared.branch).toBe("weft/ws");
  });

  it("target not checked out anywhere: the main working tree is not touched", async () => {
    await sh(repo.root, "branch", "release");
    await sh(repo.root, "switch", "-q", "-c", "user-branch");
    await writeFile(join(repo.root, "README.md"), "user's uncommitted edit\n");
    await manager.prepare({ workstream_id: "ws", base_branch: "release" });
    const wsPath = await manager.worktreePathOf("ws");
    await writeFile(join(wsPath, "feature.txt"), "feature\n");
    await manager.commitTaskChanges(wsPath, { task_id: "t1", name: "feature" });
    const result = await manager.merge("ws", { target: "release", strategy: "merge" });
    expect(result.ok).toBe(true);
    expect(await sh(repo.root, "show", "release:feature.txt")).toBe("feature");
    expect(await sh(repo.root, "symbolic-ref", "--short", "HEAD")).toBe("user-branch");
    expect(await readFile(join(repo.root, "README.md"), "utf8")).toBe("user's uncommitted edit\n");
    expect(await sh(repo.root, "status", "--porcelain")).toBe("M README.md");
    expect(await sh(repo.root, "log", "-1", "--format=%s", "release")).toBe("weft: merge workstream ws");
  });

  it("squash strategy: one commit with one parent carrying the branch's changes", async () => {
    const before = await sh(repo.root, "rev-parse", "main");
    const prepared = await workstreamWithChange("ws", "a.txt", "a\n");
    await writeFile(join(prepared.path, "b.txt"), "b\n");
    await manager.commitTaskChanges(prepared.path, { task_id: "t2", name: "b" });
    const result = await manager.merge("ws", {
      target: "main",
      strategy: "squash",
      message: "weft: ws (squashed)",
    });
    if (!result.ok || result.commit === null) throw new Error("expected a merge");
    expect(await sh(repo.root, "rev-list", "--parents", "-1", "main")).toBe(`${result.commit} ${before}`);
    expect(await sh(repo.root, "show", "--name-only", "--format=", "main")).toBe("a.txt\nb.txt");
    const body = await sh(repo.root, "log", "-1", "--format=%B", "main");
    expect(body).toContain("- weft: change a.txt (ws-t1)\n- weft: b (t2)");
    expect(body).toContain("Weft-Workstream: ws");
    expect(await readFile(join(repo.root, "b.txt"), "utf8")).toBe("b\n");
  });

  it("squash into a branch not checked out moves only the ref", async () => {
    await sh(repo.root, "branch", "release");
    await manager.prepare({ workstream_id: "ws", base_branch: "release" });
    const wsPath = await manager.worktreePathOf("ws");
    await writeFile(join(wsPath, "x.txt"), "x\n");
    await manager.commitTaskChanges(wsPath, { task_id: "t1", name: "x" });
    const mainBefore = await sh(repo.root, "rev-parse", "main");
    const result = await manager.merge("ws", { target: "release", strategy: "squash" });
    expect(result.ok).toBe(true);
    expect(await sh(repo.root, "rev-parse", "main")).toBe(mainBefore);
    expect(await sh(repo.root, "show", "release:x.txt")).toBe("x");
  });

  it("conflict: target untouched, clean tree, conflicting files listed, worktree and branch preserved", async () => {
    const prepared = await workstreamWithChange("ws", "src/app.txt", "line 1\nworkstream\nline 3\n");
    await writeFile(join(prepared.path, "README.md"), "# ws readme\n");
    await manager.commitTaskChanges(prepared.path, { task_id: "t2", name: "readme" });
    await writeFile(join(repo.root, "src", "app.txt"), "line 1\nmain\nline 3\n");
    await writeFile(join(repo.root, "README.md"), "# main readme\n");
    await sh(repo.root, "commit", "-qam", "main edits the same lines");
    const targetBefore = await sh(repo.root, "rev-parse", "main");
    const branchBefore = await sh(repo.root, "rev-parse", "weft/ws");

    const result = await manager.merge("ws", { target: "main", strategy: "merge" });
    expect(result).toEqual({
      ok: false,
      conflicts: ["README.md", "src/app.txt"],
      targetCommit: targetBefore,
      branchCommit: branchBefore,
    });
    expect(await sh(repo.root, "rev-parse", "main")).toBe(targetBefore);
    expect(await sh(repo.root, "status", "--porcelain", "--untracked-files=all")).toBe("");
    expect(await readFile(join(repo.root, "src", "app.txt"), "utf8")).toBe("line 1\nmain\nline 3\n");
    const gitDir = join(repo.root, ".git");
    await expect(readFile(join(gitDir, "MERGE_HEAD"))).rejects.toThrow();

    const preserved = await manager.preserve("ws");
    expect(preserved).toEqual({ branch: "weft/ws", path: prepared.path, headCommit: branchBefore });
    expect(await readFile(join(prepared.path, "src", "app.txt"), "utf8")).toBe(
      "line 1\nworkstream\nline 3\n",
    );
    // And the fail-closed remove refuses to drop the unmerged work.
    await expect(manager.remove("ws", { target: "main" })).rejects.toMatchObject({
      code: "SCHED_WORKTREE_UNSAFE",
    });
  });

  it("refuses to merge into a checked-out target whose tree is dirty; nothing moves", async () => {
    await workstreamWithChange("ws", "feature.txt", "feature\n");
    await writeFile(join(repo.root, "README.md"), "user is editing\n");
    const before = await sh(repo.root, "rev-parse", "main");
    await expect(manager.merge("ws", { target: "main", strategy: "merge" })).rejects.toMatchObject({
      code: "SCHED_MERGE_TARGET_DIRTY",
      details: { files: ["README.md"] },
    });
    expect(await sh(repo.root, "rev-parse", "main")).toBe(before);
    expect(await readFile(join(repo.root, "README.md"), "utf8")).toBe("user is editing\n");
  });

  it("an untracked file in the way stops the fast-forward without moving the target", async () => {
    await workstreamWithChange("ws", "feature.txt", "feature\n");
    await writeFile(join(repo.root, "feature.txt"), "user's own untracked file\n");
    const before = await sh(repo.root, "rev-parse", "main");
    await expect(manager.merge("ws", { target: "main", strategy: "merge" })).rejects.toMatchObject({
      code: "SCHED_MERGE_TARGET_DIRTY",
    });
    expect(await sh(repo.root, "rev-parse", "main")).toBe(before);
    expect(await readFile(join(repo.root, "feature.txt"), "utf8")).toBe("user's own untracked file\n");
  });

  it("strategy none merges nothing; a branch without changes is already merged", async () => {
    await workstreamWithChange("ws", "feature.txt", "feature\n");
    const before = await sh(repo.root, "rev-parse", "main");
    expect(await manager.merge("ws", { target: "main", strategy: "none" })).toEqual({
      ok: true,
      commit: null,
      merged: false,
      alreadyMerged: false,
    });
    expect(await sh(repo.root, "rev-parse", "main")).toBe(before);
    await manager.prepare({ workstream_id: "empty" });
    expect(await manager.merge("empty", { target: "main", strategy: "merge" })).toEqual({
      ok: true,
      commit: before,
      merged: true,
      alreadyMerged: true,
    });
  });
});
