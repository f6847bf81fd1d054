import { describe, expect, it } from "vitest";
import { buildTaskCommitMessage, parseCommitSummary } from "./commit-task-changes.js";
import { isGitVersionSupported, isValidBranchName } from "./git-context.js";
import { buildMergeMessage, parseMergeTree } from "./merge-workstream.js";
import { isWeftOwnedPath, parseStatusPorcelain, selectUserChanges } from "./parse-status.js";
import { parseWorktreeList } from "./parse-worktree-list.js";
import { checkRelativePath, isInsideOrSame, isStrictlyInside } from "./resolve-inside.js";
import { isLockContention } from "./run-git.js";

describe("parseWorktreeList", () => {
  it("reads main, linked, detached, locked and prunable entries", () => {
    const out = [
      "worktree /repo",
      "HEAD aaa",
      "branch refs/heads/main",
      "",
      "worktree /repo/.weft/worktrees/ws",
      "HEAD bbb",
      "branch refs/heads/weft/ws",
      "locked reason here",
      "",
      "worktree /gone",
      "HEAD ccc",
      "detached",
      "prunable gitdir file points to non-existent location",
      "",
      "",
    ].join("\0");
    const entries = parseWorktreeList(out);
    expect(entries).toEqual([
      {
        path: "/repo",
        head: "aaa",
        branch: "refs/heads/main",
        bare: false,
        detached: false,
        locked: false,
        prunable: false,
        main: true,
      },
      {
        path: "/repo/.weft/worktrees/ws",
        head: "bbb",
        branch: "refs/heads/weft/ws",
        bare: false,
        detached: false,
        locked: true,
        prunable: false,
        main: false,
      },
      { path: "/gone", head: "ccc", bare: false, detached: true, locked: false, prunable: true, main: false },
    ]);
  });

  it("keeps spaces in paths", () => {
    expect(parseWorktreeList("worktree /a b/c\0HEAD x\0bare\0\0")[0]).toMatchObject({
      path: "/a b/c",
      bare: true,
    });
  });
});

describe("parseStatusPorcelain", () => {
  it("reads modified, untracked, deleted and renamed entries (with the source path)", () => {
    const out = " M src/a.ts\0?? new file.txt\0D  old.txt\0R  to.txt\0from.txt\0";
    expect(parseStatusPorcelain(out)).toEqual([
      { code: " M", path: "src/a.ts" },
      { code: "??", path: "new file.txt" },
      { code: "D ", path: "old.txt" },
      { code: "R ", path: "to.txt", from: "from.txt" },
    ]);
    expect(parseStatusPorcelain("")).toEqual([]);
  });

  it("drops weft and Aider files", () => {
    expect(isWeftOwnedPath(".aider.chat.history.md")).toBe(true);
    expect(isWeftOwnedPath(".aider.tags.cache.v4/x")).toBe(true);
    expect(isWeftOwnedPath(".weft/worktrees/a")).toBe(true);
    expect(isWeftOwnedPath(".weftrc")).toBe(false);
    expect(isWeftOwnedPath("src/.aider-notes")).toBe(false);
    const entries = parseStatusPorcelain("?? .aider.input.history\0?? .weft/x\0 M a.txt\0");
    expect(selectUserChanges(entries)).toEqual([{ code: " M", path: "a.txt" }]);
  });
});

describe("commit and merge messages", () => {
  it("names the task and carries the Weft-Task trailer (SPEC §5)", () => {
    expect(buildTaskCommitMessage({ task_id: "t-1", name: "Fix\n  the bug " })).toBe(
      "weft: Fix the bug (t-1)\n\nWeft-Task: t-1\n",
    );
    expect(buildTaskCommitMessage({ task_id: "t-2", name: "   " })).toBe(
      "weft: t-2 (t-2)\n\nWeft-Task: t-2\n",
    );
  });

  it("adds the Weft-Workstream trailer once and lists squashed commits", () => {
    expect(buildMergeMessage("ws", undefined)).toBe("weft: merge workstream ws\n\nWeft-Workstream: ws\n");
    expect(buildMergeMessage("ws", "custom\n\nWeft-Workstream: ws\n")).toBe(
      "custom\n\nWeft-Workstream: ws\n",
    );
    expect(buildMergeMessage("ws", "squash", ["a", "b"])).toBe(
      "squash\n\nSquashed commits:\n- a\n- b\n\nWeft-Workstream: ws\n",
    );
  });

  it("parses merge-tree output: tree and sorted unique conflicts", () => {
    expect(parseMergeTree("abc123\0")).toEqual({ tree: "abc123", conflicts: [] });
    expect(parseMergeTree("abc123\0z.txt\0a b.txt\0z.txt\0")).toEqual({
      tree: "abc123",
      conflicts: ["a b.txt", "z.txt"],
    });
  });
});

describe("path checks (DESIGN §7)", () => {
  it.each(["", "/etc/passwd", "../x", "a/../../x", "a/..", ".", "./", "C:\\x", "a\0b"])(
    "refuses %j",
    (path) => {
      expect(() => checkRelativePath(path, "entry")).toThrow(
        expect.objectContaining({ code: "SCHED_PATH_OUTSIDE_REPO" }),
      );
    },
  );

  it("normalizes good paths", () => {
    expect(checkRelativePath("./a//b/", "entry")).toBe("a/b");
    expect(checkRelativePath(".env", "entry")).toBe(".env");
  });

  it("compares containment without string-prefix mistakes", () => {
    expect(isInsideOrSame("/a/b", "/a/b")).toBe(true);
    expect(isStrictlyInside("/a/b", "/a/b")).toBe(false);
    expect(isStrictlyInside("/a/b", "/a/b/c")).toBe(true);
    expect(isInsideOrSame("/a/b", "/a/bc")).toBe(false);
    expect(isInsideOrSame("/a/b", "/a")).toBe(false);
  });
});

describe("isGitVersionSupported", () => {
  it("needs git 2.38 or newer", () => {
    expect(isGitVersionSupported("git version 2.39.5")).toBe(true);
    expect(isGitVersionSupported("git version 2.38.0")).toBe(true);
    expect(isGitVersionSupported("git version 2.37.9")).toBe(false);
    expect(isGitVersionSupported("git version 3.0")).toBe(true);
    expect(isGitVersionSupported("git version 2.45.1.windows.1")).toBe(true);
    expect(isGitVersionSupported("nonsense")).toBe(false);
  });
});

describe("parseCommitSummary", () => {
  it("reads the full id from git commit's summary line", () => {
    const id = "7421911fb3031e60d0c4d8ed83b24bc1051888c3";
    expect(parseCommitSummary(`[weft/ws ${id}] weft: x (t)\n 1 file changed`)).toBe(id);
    expect(parseCommitSummary(`[main (root-commit) ${id}] init`)).toBe(id);
    expect(parseCommitSummary("[weft/ws 7421911] short")).toBeUndefined();
    expect(parseCommitSummary("")).toBeUndefined();
  });
});

describe("isValidBranchName (git check-ref-format rules, no process)", () => {
  it.each(["main", "release/1.2", "weft/ws-1", "feature_x", "a.b"])("accepts %s", (name) => {
    expect(isValidBranchName(name)).toBe(true);
  });
  it.each([
    "",
    "-x",
    "--upload-pack=evil",
    "/a",
    "a/",
    "a..b",
    "a b",
    "a~1",
    "a^",
    "a:b",
    "a?",
    "a*",
    "a[",
    "a\\b",
    "a.lock",
    ".a",
    "a/.b",
    "a@{1}",
    "@",
    "a//b",
    "a.",
    "HEAD",
  ])("refuses %j", (name) => {
    expect(isValidBranchName(name)).toBe(false);
  });
});

describe("isLockContention", () => {
  it("recognizes git's lock messages", () => {
    expect(isLockContention("fatal: Unable to create '/r/.git/worktrees/ws/index.lock': File exists.")).toBe(
      true,
    );
    expect(isLockContention("fatal: cannot lock ref 'HEAD': is at 0ea9 but expected 1234")).toBe(true);
    expect(isLockContention("error: pathspec 'x' did not match any file(s) known to git")).toBe(false);
  });
});
