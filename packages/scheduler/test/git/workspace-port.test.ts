import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorkspaceManager, createWorkspacePort } from "../../src/git/index.js";
import type { WorkspacePort } from "../../src/workspace-port.js";
import { countingRunGit, createTestRepo, sh, type TestRepo } from "./git-fixture.js";

// The engine's WorkspacePort on top of the manager: the whole life of a workstream's worktree (SPEC §5).
describe("createWorkspacePort", () => {
  let repo: TestRepo;
  let port: WorkspacePort;
  const logs: string[] = [];
  beforeEach(async () => {
    repo = await createTestRepo();
    const manager = createWorkspaceManager({ repoRoot: repo.root, runGit: countingRunGit().runGit });
    port = createWorkspacePort(manager, {
      bootstrapLog: (ws) => (text) => logs.push(`${ws}: ${text}`),
      now: () => Date.UTC(2026, 10, 26),
    });
  });
  afterEach(() => repo.cleanup());

  it("completed workstream: prepare, bootstrap, task commit, merge into the base, worktree and branch removed", async () => {
    const p = await port.prepare({
      workstreamId: "ws",
      baseBranch: undefined,
      bootstrap: { copy: [], commands: ["echo ready"] },
    });
    expect(logs.join("")).toContain("ws: ready");
    await writeFile(join(p.worktree, "out.txt"), "out\n");
    const c = await port.commitTaskChanges({
      worktree: p.worktree,
      workstreamId: "ws",
      taskId: "t1",
      taskName: "write out",
    });
    expect(c.committed).toBe(true);
    expect(await port.isClean(p.worktree)).toBe(true);
    const m = await port.merge({
      workstreamId: "ws",
      worktree: p.worktree,
      targetBranch: undefined,
      baseBranch: undefined,
      strategy: "merge",
    });
    expect(m.ok).toBe(true);
    expect(await readFile(join(repo.root, "out.txt"), "utf8")).toBe("out\n");
    await port.remove("ws");
    await expect(stat(p.worktree)).rejects.toThrow();
    expect(await sh(repo.root, "branch", "--list", "weft/*")).toBe("");
  });

  it("merge conflict: target untouched, files listed, worktree + branch preserved, state archived", async () => {
    const p = await port.prepare({
      workstreamId: "ws",
      baseBranch: "main",
      bootstrap: { copy: [], commands: [] },
    });
    await writeFile(join(p.worktree, "README.md"), "# ws\n");
    await port.commitTaskChanges({
      worktree: p.worktree,
      workstreamId: "ws",
      taskId: "t1",
      taskName: "readme",
    });
    await writeFile(join(repo.root, "README.md"), "# main\n");
    await sh(repo.root, "commit", "-qam", "main edit");
    const before = await sh(repo.root, "rev-parse", "main");
    const m = await port.merge({
      workstreamId: "ws",
      worktree: p.worktree,
      targetBranch: "main",
      baseBranch: "main",
      strategy: "squash",
    });
    expect(m).toMatchObject({ ok: false, conflicts: ["README.md"] });
    expect(await sh(repo.root, "rev-parse", "main")).toBe(before);
    expect(await sh(repo.root, "status", "--porcelain")).toBe("");
    await port.preserve("ws");
    const stateDir = join(repo.root, ".state");
    const folder = await port.archiveWorkstreamState({
      workstreamId: "ws",
      stateDir,
      state: {
        workstream: { status: "failed", conflicting_files: ["README.md"] },
        tasks: [{ task_id: "t1" }],
      },
    });
    expect(folder).toBe(join(stateDir, "archive", "workstreams", "ws"));
    const summary = JSON.parse(await readFile(join(folder, "summary.json"), "utf8"));
    expect(summary).toMatchObject({
      workstream_id: "ws",
      status: "failed",
      branch: "weft/ws",
      worktree_path: p.worktree,
      head_commit: await sh(repo.root, "rev-parse", "weft/ws"),
      conflicts: ["README.md"],
      target_branch: "main",
      tasks: [{ task_id: "t1" }],
      archived_at: "2026-11-26T00:00:00.000Z",
    });
    expect(await readFile(join(p.worktree, "README.md"), "utf8")).toBe("# ws\n");
  });
});
