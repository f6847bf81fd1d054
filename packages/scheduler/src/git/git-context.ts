import { mkdir, readFile, realpath, writeFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { isValidId, type Logger, WeftError } from "@weft/core-schema";
import { WEFT_EXCLUDE_LINES } from "./parse-status.js";
import { parseWorktreeList, type WorktreeEntry } from "./parse-worktree-list.js";
import { isInsideOrSame, isStrictlyInside } from "./resolve-inside.js";
import type { RunGit } from "./run-git.js";

/** The branch of a workstream: `weft/{workstream_id}` (SPEC §5). Throws `ID_INVALID` for a bad id. */
export function workstreamBranch(workstreamId: string): string {
  assertId(workstreamId, "workstream id");
  return `weft/${workstreamId}`;
}

/** Throws `ID_INVALID` unless `value` is a valid id (SPEC §1) — before it touches a path or a branch name. */
export function assertId(value: string, what: string): void {
  if (!isValidId(value)) {
    throw new WeftError("ID_INVALID", `${what} ${JSON.stringify(value)} is not a valid id`, {
      hint: "Ids match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$.",
      details: { id: value },
    });
  }
}

/**
 * True when `name` is a valid branch name by git's `check-ref-format` rules (pure, no process): no leading `-`
 * (never an option) or `/`, no `..`, `@{`, `//`, control characters, space or any of `~^:?*[\\`, no component
 * starting with `.` or ending with `.lock`, not ending with `/` or `.`, not `@`.
 */
export function isValidBranchName(name: string): boolean {
  if (name.length === 0 || name.length > 255 || name === "@" || name === "HEAD") return false;
  if (name.startsWith("-") || name.startsWith("/") || name.endsWith("/") || name.endsWith(".")) return false;
  if (name.includes("..") || name.includes("@{") || name.includes("//")) return false;
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  return name.split("/").every((part) => part !== "" && !part.startsWith(".") && !part.endsWith(".lock"));
}

/** Throws unless `name` is a valid branch name ({@link isValidBranchName}). */
export function assertBranchName(name: string, what: string): void {
  if (!isValidBranchName(name)) {
    throw new WeftError("SCHED_GIT_FAILED", `${what} ${JSON.stringify(name)} is not a valid branch name`, {
      hint: 'Name a local branch, e.g. "main".',
      details: { branch: name },
    });
  }
}

/** A local branch's tip commit and tree. */
export interface BranchTip {
  readonly commit: string;
  readonly tree: string;
}

/** Reads several local branches in one `git for-each-ref` call; missing branches are absent from the map. */
export async function readBranches(
  git: RunGit,
  cwd: string,
  branches: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, BranchTip>> {
  const refs = branches.map((branch) => `refs/heads/${branch}`);
  const result = await git(
    cwd,
    ["for-each-ref", "--format=%(refname) %(objectname) %(tree)", "--", ...refs],
    signal ? { signal } : {},
  );
  const tips = new Map<string, BranchTip>();
  for (const line of result.stdout.split("\n")) {
    const [ref = "", commit = "", tree = ""] = line.split(" ");
    const index = refs.indexOf(ref);
    const branch = branches[index];
    if (branch !== undefined && commit !== "") tips.set(branch, { commit, tree });
  }
  return tips;
}

/** Like {@link readBranches} for branches that must exist; throws `SCHED_GIT_FAILED` naming a missing one. */
export async function requireBranches(
  git: RunGit,
  cwd: string,
  branches: readonly string[],
  signal?: AbortSignal,
): Promise<BranchTip[]> {
  const tips = await readBranches(git, cwd, branches, signal);
  return branches.map((branch) => {
    const tip = tips.get(branch);
    if (tip === undefined) {
      throw new WeftError("SCHED_GIT_FAILED", `branch ${JSON.stringify(branch)} does not exist`, {
        hint: "Check base_branch / merge.target_branch in _workstream.json, or create the branch.",
        details: { branch },
      });
    }
    return tip;
  });
}

/** Oldest git weft supports: `merge-tree --write-tree` (2.38), `worktree list -z` (2.36). */
export const MIN_GIT_VERSION = [2, 38, 0] as const;

/** True when `git version` output names a version >= {@link MIN_GIT_VERSION} (pure). */
export function isGitVersionSupported(versionOutput: string): boolean {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (match === null) return false;
  const found = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  for (let i = 0; i < 3; i++) {
    const a = found[i] ?? 0;
    const b = MIN_GIT_VERSION[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** What the git layer knows about the repository (resolved once). */
export interface GitContext {
  readonly git: RunGit;
  readonly logger: Logger;
  /** Real path of the main working tree. */
  readonly mainRoot: string;
  /**
   * Real path of the working tree weft runs in (the top of `repoRoot`; the main working tree unless weft runs in a
   * linked worktree): the default base branch, bootstrap copy sources and the worktrees root come from it.
   */
  readonly userRoot: string;
  /** Real path of the common git dir (`.git`). */
  readonly commonDir: string;
  /** Real path of the worktrees root (created on demand). */
  readonly worktreesRoot: string;
  /** Identity flags (`-c user.name=weft -c user.email=weft@localhost`) when the repo has none, else `[]`. */
  identityArgs(): Promise<readonly string[]>;
  /** `git worktree list --porcelain -z`, parsed. */
  listWorktrees(signal?: AbortSignal): Promise<WorktreeEntry[]>;
  /** The expected worktree path of a workstream (`{worktreesRoot}/{ws}`). */
  worktreePathOf(workstreamId: string): string;
  /** Serializes operations that move shared refs or the worktree list (prepare, merge, remove). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Serializes operations on one worktree (task commits, resets): parallel tasks of a workstream share its worktree
   * and must not race for its index and HEAD locks.
   */
  serializeOn<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Adds `.aider*` and `.weft/` to the common `info/exclude` (once). */
  ensureExcludes(): Promise<void>;
}

/** Options of {@link createGitContext}. */
export interface GitContextOptions {
  readonly repoRoot: string;
  /** Absolute, or relative to the repository root. Default `.weft/worktrees`. */
  readonly worktreesRoot?: string;
  readonly git: RunGit;
  readonly logger: Logger;
}

/** Resolves the repository (main working tree, common git dir, worktrees root) and checks the root is safe. */
export async function createGitContext(options: GitContextOptions): Promise<GitContext> {
  const { git, logger } = options;
  const repoRoot = resolve(options.repoRoot);
  const version = (await git(repoRoot, ["version"])).stdout.trim();
  if (!isGitVersionSupported(version)) {
    throw new WeftError(
      "SCHED_GIT_FAILED",
      `weft needs git ${MIN_GIT_VERSION.join(".")} or newer; found "${version}"`,
      {
        hint: "Install a newer git (merge-tree --write-tree and worktree list -z are required).",
        details: { version },
      },
    );
  }
  const facts = await git(repoRoot, [
    "rev-parse",
    "--path-format=absolute",
    "--git-common-dir",
    "--show-toplevel",
  ]);
  const [commonLine = "", topLine = ""] = facts.stdout.split("\n");
  const commonDir = await realpath(commonLine.trim());
  if (topLine.trim() === "") {
    throw new WeftError("SCHED_GIT_FAILED", `${repoRoot} is not inside a git working tree`, {
      hint: "Run weft inside a normal (non-bare) git checkout.",
    });
  }
  const userRoot = await realpath(topLine.trim());
  const list = parseWorktreeList((await git(repoRoot, ["worktree", "list", "--porcelain", "-z"])).stdout);
  const main = list[0];
  if (main === undefined || main.bare) {
    throw new WeftError("SCHED_GIT_FAILED", `${repoRoot} has no main working tree (bare repository?)`, {
      hint: "Run weft inside a normal (non-bare) git checkout.",
    });
  }
  const mainRoot = await realpath(main.path);
  const requestedRoot = options.worktreesRoot ?? ".weft/worktrees";
  const rootPath = isAbsolute(requestedRoot) ? requestedRoot : resolve(userRoot, requestedRoot);
  await mkdir(rootPath, { recursive: true });
  const worktreesRoot = await realpath(rootPath);
  if (
    isInsideOrSame(worktreesRoot, mainRoot) ||
    isInsideOrSame(worktreesRoot, userRoot) ||
    isInsideOrSame(commonDir, worktreesRoot)
  ) {
    throw new WeftError(
      "SCHED_PATH_OUTSIDE_REPO",
      `worktrees root ${worktreesRoot} overlaps the repository or its .git`,
      {
        hint: "Set worktrees.root in weft.config.json to a dedicated folder such as .weft/worktrees.",
        details: { worktreesRoot, mainRoot, commonDir },
      },
    );
  }

  let identity: Promise<readonly string[]> | undefined;
  let excludes: Promise<void> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const keyed = new Map<string, Promise<unknown>>();

  const context: GitContext = {
    git,
    logger,
    mainRoot,
    userRoot,
    commonDir,
    worktreesRoot,
    identityArgs() {
      identity ??= (async () => {
        const name = await git(mainRoot, ["config", "--get", "user.name"], { okExitCodes: [0, 1] });
        const email = await git(mainRoot, ["config", "--get", "user.email"], { okExitCodes: [0, 1] });
        if (name.stdout.trim() !== "" && email.stdout.trim() !== "") return [];
        return ["-c", "user.name=weft", "-c", "user.email=weft@localhost"];
      })();
      return identity;
    },
    async listWorktrees(signal) {
      const result = await git(mainRoot, ["worktree", "list", "--porcelain", "-z"], signal ? { signal } : {});
      return parseWorktreeList(result.stdout);
    },
    worktreePathOf(workstreamId) {
      assertId(workstreamId, "workstream id");
      const path = join(worktreesRoot, workstreamId);
      if (!isStrictlyInside(worktreesRoot, path)) throw new Error(`bug: ${path} outside ${worktreesRoot}`);
      return path;
    },
    serializeOn<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const previous = keyed.get(key) ?? Promise.resolve();
      const run = previous.then(fn, fn);
      const settled = run.catch(() => undefined);
      keyed.set(key, settled);
      void settled.then(() => {
        if (keyed.get(key) === settled) keyed.delete(key);
      });
      return run;
    },
    exclusive<T>(fn: () => Promise<T>): Promise<T> {
      const run = queue.then(fn, fn);
      queue = run.catch(() => undefined);
      return run;
    },
    ensureExcludes() {
      excludes ??= (async () => {
        const file = join(commonDir, "info", "exclude");
        await mkdir(join(commonDir, "info"), { recursive: true });
        let text = "";
        try {
          text = await readFile(file, "utf8");
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        }
        const present = new Set(text.split(/\r?\n/).map((line) => line.trim()));
        const missing = WEFT_EXCLUDE_LINES.filter((line) => !present.has(line));
        if (missing.length === 0) return;
        const prefix = text === "" || text.endsWith("\n") ? "" : "\n";
        await writeFile(
          file,
          `${text}${prefix}# added by weft: files weft and Aider own, never committed\n${missing.join("\n")}\n`,
        );
        logger.info({ file, lines: missing }, "git excludes added");
      })();
      excludes.catch(() => {
        excludes = undefined;
      });
      return excludes;
    },
  };
  return context;
}

/** The worktree entry of a workstream's branch, if any. */
export function findBranchWorktree(
  entries: readonly WorktreeEntry[],
  branch: string,
): WorktreeEntry | undefined {
  return entries.find((entry) => entry.branch === `refs/heads/${branch}`);
}

/** Real path of `path`, or `undefined` when it does not exist. */
export async function realpathOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Resolves a revision to a full commit id (`--end-of-options`, so it is never an option). */
export async function resolveCommit(git: RunGit, cwd: string, rev: string): Promise<string> {
  const result = await git(cwd, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`], {
    okExitCodes: [0, 1],
  });
  const commit = result.stdout.trim();
  if (result.exitCode !== 0 || commit === "") {
    throw new WeftError("SCHED_GIT_FAILED", `${JSON.stringify(rev)} does not name a commit`, {
      hint: "Check the branch or commit name.",
      details: { rev },
    });
  }
  return commit;
}
