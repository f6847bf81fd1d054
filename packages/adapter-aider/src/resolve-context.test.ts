import { mkdir, mkdtemp, realpath, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { isWeftError } from "@weft/core-schema";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadTokenCounter, type TokenCounter } from "./count-tokens.js";
import { resolveContext, resolveWorktreePath } from "./resolve-context.js";

let countTokens: TokenCounter;
let wt: string;

beforeAll(async () => {
  countTokens = await loadTokenCounter();
});
beforeEach(async () => {
  wt = await realpath(await mkdtemp(path.join(os.tmpdir(), "weft-ctx-")));
  await mkdir(path.join(wt, "src"));
});

const req = (over: Record<string, unknown>) => ({
  max_context_tokens: 8000,
  required_files: [] as string[],
  optional_files: [] as string[],
  exclude_patterns: [] as string[],
  ...over,
});

describe("token counting (AIDER-INT-002)", () => {
  it("uses a real BPE tokenizer, not characters / 4", () => {
    expect(countTokens("hello world")).toBe(2);
    const text = "a".repeat(400);
    expect(countTokens(text)).not.toBe(100);
    expect(countTokens(text)).toBeLessThan(100);
    expect(countTokens("<|endoftext|>")).toBeGreaterThan(1); // special tokens are plain text here
  });
});

describe("resolveContext", () => {
  it("gives required files as editable and packs optional files in listed order while they fit", async () => {
    await writeFile(path.join(wt, "src/a.py"), "def a():\n    return 1\n");
    await writeFile(path.join(wt, "big.md"), "word ".repeat(300));
    await writeFile(path.join(wt, "small.md"), "tiny\n");
    await writeFile(path.join(wt, "mid.md"), "some words here\n");
    const a = countTokens("def a():\n    return 1\n");
    const ctx = await resolveContext({
      worktree: wt,
      countTokens,
      requirements: req({
        max_context_tokens: a + 50,
        required_files: ["./src/a.py", "src/new.py"],
        optional_files: ["big.md", "small.md", "src/a.py", "gone.md", "mid.md"],
      }),
    });
    expect(ctx.editable).toEqual([
      { path: "src/a.py", tokens: a, exists: true },
      { path: "src/new.py", tokens: 0, exists: false },
    ]);
    expect(ctx.readOnly.map((f) => f.path)).toEqual(["small.md", "mid.md"]);
    expect(ctx.skipped).toEqual([
      { path: "big.md", reason: "over_budget", tokens: countTokens("word ".repeat(300)) },
      { path: "src/a.py", reason: "duplicate" },
      { path: "gone.md", reason: "missing" },
    ]);
    expect(ctx.requiredTokens).toBe(a);
    expect(ctx.totalTokens).toBe(a + countTokens("tiny\n") + countTokens("some words here\n"));
  });

  it("exclude_patterns (picomatch, dotfiles too) remove files from both lists", async () => {
    await writeFile(path.join(wt, "src/a.pyc"), "x");
    await writeFile(path.join(wt, "src/.secret"), "x");
    await writeFile(path.join(wt, "src/ok.py"), "x");
    const ctx = await resolveContext({
      worktree: wt,
      countTokens,
      requirements: req({
        required_files: ["src/a.pyc", "src/ok.py"],
        optional_files: ["src/.secret"],
        exclude_patterns: ["**/*.pyc", "src/.*"],
      }),
    });
    expect(ctx.editable.map((f) => f.path)).toEqual(["src/ok.py"]);
    expect(ctx.readOnly).toEqual([]);
    expect(ctx.skipped.map((s) => [s.path, s.reason])).toEqual([
      ["src/a.pyc", "excluded"],
      ["src/.secret", "excluded"],
    ]);
  });

  it("required files over the budget → AIDER_CONTEXT_OVERFLOW", async () => {
    await writeFile(path.join(wt, "src/a.py"), "x = 1\n".repeat(200));
    const err = await resolveContext({
      worktree: wt,
      countTokens,
      requirements: req({ max_context_tokens: 100, required_files: ["src/a.py"] }),
    }).catch((e) => e);
    expect(isWeftError(err) && err.code).toBe("AIDER_CONTEXT_OVERFLOW");
    expect(err.details.required_tokens).toBe(countTokens("x = 1\n".repeat(200)));
  });

  it("reserved tokens (a fix prompt's gate output) leave less room for optional files", async () => {
    await writeFile(path.join(wt, "o.md"), "one two three four\n");
    const size = countTokens("one two three four\n");
    const fits = await resolveContext({
      worktree: wt,
      countTokens,
      reservedTokens: 8000 - size,
      requirements: req({ optional_files: ["o.md"] }),
    });
    expect(fits.readOnly.map((f) => f.path)).toEqual(["o.md"]);
    const ctx = await resolveContext({
      worktree: wt,
      countTokens,
      reservedTokens: 8001 - size,
      requirements: req({ optional_files: ["o.md"] }),
    });
    expect(ctx.readOnly).toEqual([]);
  });
});

describe("resolveWorktreePath", () => {
  it("canonicalises symlinks that stay inside", async () => {
    await writeFile(path.join(wt, "src/real.py"), "x");
    await symlink("real.py", path.join(wt, "src/link.py"));
    expect(await resolveWorktreePath(wt, "src/link.py")).toEqual({
      rel: "src/real.py",
      abs: path.join(wt, "src/real.py"),
      exists: true,
    });
  });
  it.each([
    ["", "empty"],
    ["a\nb", "control"],
    ["src\\a.py", "backslash"],
    ["C:/x", "absolute"],
    ["~/x", "absolute"],
    ["a/../../x", ".."],
    [".git/config", ".git"],
    ["src", "not a regular file"],
    ["dangling", "dangling"],
  ])("refuses %j (%s)", async (p, why) => {
    await symlink("/nonexistent/target", path.join(wt, "dangling"));
    const err = await resolveWorktreePath(wt, p).catch((e) => e);
    expect(isWeftError(err) && err.code).toBe("AIDER_PATH_OUTSIDE_WORKTREE");
    expect(err.message).toContain(why);
  });
  it("refuses a symlinked .git-like escape: a link to the repo's .git directory", async () => {
    await mkdir(path.join(wt, ".git"));
    await symlink(".git", path.join(wt, "dotgit"));
    const err = await resolveWorktreePath(wt, "dotgit/hooks/pre-commit").catch((e) => e);
    expect(err.message).toContain(".git");
  });
});

describe("pathological files", () => {
  it("counts a long run of one character quickly (js-tiktoken alone takes seconds per thousand)", async () => {
    await writeFile(path.join(wt, "rule.txt"), `header\n${"=".repeat(20_000)}\n${"x".repeat(20_000)}\nend\n`);
    const t0 = Date.now();
    const ctx = await resolveContext({
      worktree: wt,
      countTokens,
      requirements: req({ max_context_tokens: 100_000, required_files: ["rule.txt"] }),
    });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(ctx.requiredTokens).toBeGreaterThan(1000);
  });
});
