import { mkdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorkspaceManager, type WorkspaceManager } from "../../src/git/index.js";
import { countingRunGit, createTestRepo, sh, type TestRepo } from "./git-fixture.js";

// SPEC §5 isolation: one worktree per workstream on weft/{ws}; DESIGN §7 trust boundaries for bootstrap paths.
describe("prepare (SPEC §5 worktrees)", () => {
  let repo: TestRepo;
  let manager: WorkspaceManager;
  beforeEach(async () => {
    repo = await createTestRepo();
    manager = createWorkspaceManager({ repoRoot: repo.root, runGit: countingRunGit().runGit });
  });
  afterEach(() => repo.cleanup());

  it("creates weft/{ws} from the base branch under .weft/worktrees and excludes weft/aider files", async () => {
    const base = await sh(repo.root, "rev-parse", "HEAD");
    const prepared = await manager.prepare({ workstream_id: "ws-a" });
    expect(prepared.path).toBe(join(repo.root, ".weft", "worktrees", "ws-a"));
    expect(prepared.branch).toBe("weft/ws-a");
    expect(prepared.baseCommit).toBe(base);
    expect(prepared.baseBranch).toBe("main");
    expect(prepared.reused).toBe(false);
    expect(await sh(prepared.path, "symbolic-ref", "HEAD")).toBe("refs/heads/weft/ws-a");
    const exclude = await readFile(join(repo.root, ".git", "info", "exclude"), "utf8");
    expect(exclude).toContain(".aider*");
    expect(exclude).toContain(".weft/");
    // The main working tree does not see the worktrees folder as a change.
    expect(await sh(repo.root, "status", "--porcelain", "--untracked-files=all")).toBe("");
  });

  it("starts from an explicit base branch", async () => {
    await sh(repo.root, "branch", "develop");
    await writeFile(join(repo.root, "README.md"), "# changed on main\n");
    await sh(repo.root, "commit", "-qam", "main moves on");
    const developTip = await sh(repo.root, "rev-parse", "develop");
    const prepared = await manager.prepare({ workstream_id: "ws-b", base_branch: "develop" });
    expect(prepared.baseCommit).toBe(developTip);
    expect(await readFile(join(prepared.path, "README.md"), "utf8")).toBe("# demo\n");
  });

  it("reuses an existing worktree and branch without touching the work in it (resume / retry)", async () => {
    const first = await manager.prepare({ workstream_id: "ws-a" });
    await writeFile(join(first.path, "work.txt"), "unsaved work\n");
    await writeFile(join(first.path, "src", "app.txt"), "edited\n");
    await sh(first.path, "add", "src/app.txt");
    await sh(first.path, "commit", "-qm", "agent commit");
    const head = await sh(first.path, "rev-parse", "HEAD");
    const again = await createWorkspaceManager({
      repoRoot: repo.root,
      runGit: countingRunGit().runGit,
    }).prepare({
      workstream_id: "ws-a",
    });
    expect(again.reused).toBe(true);
    expect(again.path).toBe(first.path);
    expect(again.baseCommit).toBe(head);
    expect(await readFile(join(again.path, "work.txt"), "utf8")).toBe("unsaved work\n");
  });

  it("re-creates a worktree on an existing branch (worktree folder deleted) without resetting the branch", async () => {
    const first = await manager.prepare({ workstream_id: "ws-a" });
    await writeFile(join(first.path, "new.txt"), "x\n");
    await sh(first.path, "add", "new.txt");
    await sh(first.path, "commit", "-qm", "work");
    const tip = await sh(first.path, "rev-parse", "HEAD");
    await sh(repo.root, "worktree", "remove", first.path);
    const again = await manager.prepare({ workstream_id: "ws-a" });
    expect(again.reused).toBe(true);
    expect(again.baseCommit).toBe(tip);
  });

  it("finishes a worktree creation that was interrupted (weft killed during git worktree add)", async () => {
    const first = await manager.prepare({ workstream_id: "ws-int" });
    const gitDir = join(repo.root, ".git", "worktrees", "ws-int");
    // What an interrupted `git worktree add` leaves: locked "initializing", checkout incomplete, an index lock.
    await rm(join(gitDir, "weft-worktree.json"));
    await rm(join(first.path, "README.md"));
    await sh(repo.root, "worktree", "lock", "--reason", "initializing", first.path);
    await writeFile(join(gitDir, "index.lock"), "");
    const again = await manager.prepare({ workstream_id: "ws-int" });
    expect(again.reused).toBe(true);
    expect(await readFile(join(again.path, "README.md"), "utf8")).toBe("# demo\n");
    expect(await manager.isClean(again.path)).toBe(true);
    expect(await sh(repo.root, "worktree", "list", "--porcelain")).not.toContain("locked");
    // A normal reuse leaves a deleted file alone (it may be work in progress).
    await rm(join(again.path, "README.md"));
    await manager.prepare({ workstream_id: "ws-int" });
    expect(await manager.changedFiles(again.path)).toEqual(["README.md"]);
  });

  it("run from a linked worktree of the user: its branch is the default base and its top holds .weft", async () => {
    const userTree = join(repo.base, "user-tree");
    await sh(repo.root, "worktree", "add", "-q", "-b", "feature", userTree);
    await writeFile(join(userTree, "feature.txt"), "f\n");
    await sh(userTree, "add", "feature.txt");
    await sh(userTree, "commit", "-qm", "feature work");
    const fromLinked = createWorkspaceManager({
      repoRoot: join(userTree, "src"),
      runGit: countingRunGit().runGit,
    });
    const prepared = await fromLinked.prepare({ workstream_id: "ws-l" });
    expect(prepared.baseBranch).toBe("feature");
    expect(prepared.path).toBe(join(userTree, ".weft", "worktrees", "ws-l"));
    expect(await readFile(join(prepared.path, "feature.txt"), "utf8")).toBe("f\n");
    await expect(fromLinked.resetToCommit(userTree, prepared.baseCommit)).rejects.toMatchObject({
      code: "SCHED_WORKTREE_UNSAFE",
    });
  });

  it("refuses to overwrite a non-empty folder that is not a registered worktree", async () => {
    const path = join(repo.root, ".weft", "worktrees", "ws-x");
    await mkdir(path, { recursive: true });
    await writeFile(join(path, "precious.txt"), "keep me\n");
    await expect(manager.prepare({ workstream_id: "ws-x" })).rejects.toMatchObject({
      code: "SCHED_WORKTREE_UNSAFE",
    });
    expect(await readFile(join(path, "precious.txt"), "utf8")).toBe("keep me\n");
  });

  it("refuses invalid workstream ids and branch names before touching git", async () => {
    await expect(manager.prepare({ workstream_id: "../evil" })).rejects.toMatchObject({ code: "ID_INVALID" });
    await expect(
      manager.prepare({ workstream_id: "ok", base_branch: "--upload-pack=x" }),
    ).rejects.toMatchObject({
      code: "SCHED_GIT_FAILED",
    });
    expect(await sh(repo.root, "branch", "--list", "weft/*")).toBe("");
  });

  it("runs the bootstrap once: copies files, runs commands with output to the log sink", async () => {
    await writeFile(join(repo.root, ".env"), "TOKEN=abc\n");
    await mkdir(join(repo.root, "deps", "inner"), { recursive: true });
    await writeFile(join(repo.root, "deps", "inner", "lib.txt"), "lib\n");
    const logged: string[] = [];
    const bootstrap = {
      copy: [".env", "deps"],
      commands: ['echo "setup $WEFT_WORKSTREAM_ID" > deps/setup.txt && echo hello-log'],
    };
    const prepared = await manager.prepare(
      { workstream_id: "ws-boot", bootstrap },
      { log: (t) => logged.push(t) },
    );
    expect(prepared.bootstrapped).toBe(true);
    expect(await readFile(join(prepared.path, ".env"), "utf8")).toBe("TOKEN=abc\n");
    expect(await readFile(join(prepared.path, "deps", "inner", "lib.txt"), "utf8")).toBe("lib\n");
    expect(await readFile(join(prepared.path, "deps", "setup.txt"), "utf8")).toBe("setup ws-boot\n");
    expect(logged.join("")).toContain("hello-log");
    // Copied files are ignored, so the worktree is still clean for the git_clean gate.
    expect(await manager.isClean(prepared.path)).toBe(true);
    const again = await manager.prepare({ workstream_id: "ws-boot", bootstrap });
    expect(again.bootstrapped).toBe(false);
  });

  it("turns a failing bootstrap command into SCHED_BOOTSTRAP_FAILED and re-runs it next time", async () => {
    const logged: string[] = [];
    const bootstrap = { commands: ["echo boom >&2; exit 3"] };
    await expect(
      manager.prepare({ workstream_id: "ws-fail", bootstrap }, { log: (t) => logged.push(t) }),
    ).rejects.toMatchObject({ code: "SCHED_BOOTSTRAP_FAILED", details: { exitCode: 3 } });
    expect(logged.join("")).toContain("boom");
    await expect(manager.prepare({ workstream_id: "ws-fail", bootstrap })).rejects.toMatchObject({
      code: "SCHED_BOOTSTRAP_FAILED",
    });
  });

  it.each([["../outside.txt"], ["/etc/passwd"], ["src/../../x"], [".git/config"], [".weft"]])(
    "refuses bootstrap.copy %s (DESIGN §7)",
    async (path) => {
      await expect(
        manager.prepare({ workstream_id: "ws-esc", bootstrap: { copy: [path] } }),
      ).rejects.toMatchObject({
        code: "SCHED_PATH_OUTSIDE_REPO",
      });
    },
  );

  it("refuses a bootstrap.copy symlink that leads outside the repository", async () => {
    await writeFile(join(repo.base, "secret.txt"), "secret\n");
    await symlink(join(repo.base, "secret.txt"), join(repo.root, "link.txt"));
    await mkdir(join(repo.root, "deps"));
    await symlink(join(repo.base, "secret.txt"), join(repo.root, "deps", "inner-link"));
    await expect(
      manager.prepare({ workstream_id: "ws-l1", bootstrap: { copy: ["link.txt"] } }),
    ).rejects.toMatchObject({
      code: "SCHED_PATH_OUTSIDE_REPO",
    });
    await expect(
      manager.prepare({ workstream_id: "ws-l2", bootstrap: { copy: ["deps"] } }),
    ).rejects.toMatchObject({
      code: "SCHED_PATH_OUTSIDE_REPO",
    });
    await expect(
      stat(join(repo.root, ".weft", "worktrees", "ws-l2", "deps", "inner-link")),
    ).rejects.toThrow();
  });
});
