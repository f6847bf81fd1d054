import { createHash } from "node:crypto";
import { readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { WeftError } from "@weft/core-schema";
import {
  assertBranchName,
  findBranchWorktree,
  type GitContext,
  readBranches,
  realpathOrUndefined,
  workstreamBranch,
} from "./git-context.js";
import { type BootstrapSpec, checkCopyPath, type LogSink, runBootstrap } from "./run-bootstrap.js";

/** The parts of a workstream definition `prepare` reads (a `WorkstreamDefinition` fits). */
export interface PrepareWorkstream {
  readonly workstream_id: string;
  readonly base_branch?: string | undefined;
  readonly bootstrap?: BootstrapSpec | undefined;
}

/** Options of `prepare`. */
export interface PrepareOptions {
  /** Overrides `ws.base_branch`; default: the branch checked out in the main working tree. */
  readonly baseBranch?: string;
  /** Overrides `ws.bootstrap`. */
  readonly bootstrap?: BootstrapSpec;
  /** Receives bootstrap output (copy notes, command stdout/stderr). */
  readonly log?: LogSink;
  readonly signal?: AbortSignal;
}

/** A prepared workstream worktree. */
export interface PreparedWorktree {
  /** Real path of the worktree. */
  readonly path: string;
  /** `weft/{workstream_id}`. */
  readonly branch: string;
  /** The commit checked out in the worktree after preparing (the first attempt's base commit). */
  readonly baseCommit: string;
  /** The base branch the workstream branch was (or would have been) created from. */
  readonly baseBranch: string;
  /** True when an existing worktree/branch was reused (resume after a crash, or a retry). */
  readonly reused: boolean;
  /** True when the bootstrap ran now (false when a reused worktree had already been bootstrapped with the same spec). */
  readonly bootstrapped: boolean;
}

const BOOTSTRAP_MARKER = "weft-bootstrap.json";
/** Written into the worktree's private git dir once `git worktree add` has finished. */
const CREATED_MARKER = "weft-worktree.json";

/**
 * Creates (or reuses) the worktree of a workstream (SPEC §5): `git worktree add -b weft/{ws} <root>/{ws} <base>`.
 * An existing branch or worktree is reused after checks — never recreated over existing work. Then the bootstrap
 * runs, unless this worktree already completed the same bootstrap (a marker in its private git dir).
 */
export async function prepareWorktree(
  context: GitContext,
  ws: PrepareWorkstream,
  options: PrepareOptions = {},
): Promise<PreparedWorktree> {
  const { git, logger } = context;
  const workstreamId = ws.workstream_id;
  const branch = workstreamBranch(workstreamId);
  const path = context.worktreePathOf(workstreamId);
  const signalOpt = options.signal === undefined ? {} : { signal: options.signal };
  const bootstrap = options.bootstrap ?? ws.bootstrap ?? {};
  // Pure checks first, so a bad definition fails before any worktree exists.
  for (const entry of bootstrap.copy ?? []) checkCopyPath(entry);
  if (options.baseBranch !== undefined) assertBranchName(options.baseBranch, "base branch");
  else if (ws.base_branch !== undefined) assertBranchName(ws.base_branch, "base branch");
  await context.ensureExcludes();

  const located = await context.exclusive(async () => {
    const baseBranch = options.baseBranch ?? ws.base_branch ?? (await currentBranch(context));
    const entries = await context.listWorktrees(options.signal);
    const atPath = await findEntryAtPath(entries, path);
    const onBranch = findBranchWorktree(entries, branch);
    if (onBranch !== undefined && !onBranch.prunable) {
      const onBranchReal = await realpathOrUndefined(onBranch.path);
      if (onBranchReal !== path) {
        throw new WeftError(
          "SCHED_WORKTREE_UNSAFE",
          `branch ${branch} is checked out in ${onBranch.path}, not in ${path}`,
          {
            hint: `Remove or move that worktree (git worktree remove ${onBranch.path}) or check out another branch there.`,
            details: { branch, expected: path, actual: onBranch.path },
          },
        );
      }
      logger.info({ workstreamId, path, branch }, "worktree reused");
      return { baseBranch, reused: true, created: false };
    }
    if (atPath !== undefined && !atPath.prunable) {
      throw new WeftError(
        "SCHED_WORKTREE_UNSAFE",
        `${path} is a worktree on ${atPath.branch ?? "a detached HEAD"}, not on ${branch}`,
        {
          hint: `Check out ${branch} there or remove that worktree yourself.`,
          details: { path, branch: atPath.branch ?? null },
        },
      );
    }
    if (onBranch?.prunable || atPath?.prunable) await git(context.mainRoot, ["worktree", "prune"], signalOpt);
    if (await directoryHasContent(path)) {
      throw new WeftError(
        "SCHED_WORKTREE_UNSAFE",
        `${path} exists and is not a registered worktree; weft will not overwrite it`,
        {
          hint: "Move that folder away (it may hold work), then run again.",
          details: { path },
        },
      );
    }
    const tips = await readBranches(git, context.mainRoot, [branch, baseBranch], options.signal);
    if (tips.has(branch)) {
      await git(context.mainRoot, ["worktree", "add", "--", path, branch], signalOpt);
      logger.info({ workstreamId, path, branch }, "worktree re-created on existing branch");
      return { baseBranch, reused: true, created: true };
    }
    const baseCommit = tips.get(baseBranch)?.commit;
    if (baseCommit === undefined) {
      throw new WeftError("SCHED_GIT_FAILED", `base branch ${JSON.stringify(baseBranch)} does not exist`, {
        hint: "Set base_branch in _workstream.json to an existing local branch.",
        details: { branch: baseBranch },
      });
    }
    await git(
      context.mainRoot,
      ["worktree", "add", "--no-track", "-b", branch, "--", path, baseCommit],
      signalOpt,
    );
    logger.info({ workstreamId, path, branch, baseBranch, baseCommit }, "worktree created");
    return { baseBranch, reused: false, created: true };
  });

  // One call: the worktree's private git dir, its HEAD commit and the ref HEAD points to.
  const facts = await git(
    path,
    ["rev-parse", "--path-format=absolute", "--git-dir", "HEAD", "--symbolic-full-name", "HEAD"],
    signalOpt,
  );
  const [gitDir = "", headCommit = "", headRef = ""] = facts.stdout.split("\n").map((line) => line.trim());
  if (headRef !== `refs/heads/${branch}`) {
    throw new WeftError("SCHED_WORKTREE_UNSAFE", `${path} is not on ${branch}`, {
      hint: `Check out ${branch} in ${path} again (git -C ${path} switch ${branch}).`,
      details: { path, branch, head: headRef || null },
    });
  }
  const createdMarker = join(gitDir, CREATED_MARKER);
  let baseCommit = headCommit;
  if (located.created) {
    await writeMarker(createdMarker, { workstream_id: workstreamId });
  } else if (!(await fileExists(createdMarker))) {
    // `git worktree add` was interrupted (weft killed mid-checkout): the worktree may be locked ("initializing") and
    // its checkout incomplete. No task ever ran there (tasks start only after prepare), so restore the checkout.
    logger.warn({ workstreamId, path }, "finishing an interrupted worktree creation");
    await git(path, ["worktree", "unlock", path], { ...signalOpt, okExitCodes: [0, 128] });
    await rm(join(gitDir, "index.lock"), { force: true });
    await git(path, ["reset", "--hard", "--quiet", "HEAD"], signalOpt);
    await writeMarker(createdMarker, { workstream_id: workstreamId });
    baseCommit = (await git(path, ["rev-parse", "--verify", "HEAD"], signalOpt)).stdout.trim();
  }

  const bootstrapped = await bootstrapOnce(context, workstreamId, path, gitDir, bootstrap, options);
  return {
    path,
    branch,
    baseCommit,
    baseBranch: located.baseBranch,
    reused: located.reused,
    bootstrapped,
  };
}

async function bootstrapOnce(
  context: GitContext,
  workstreamId: string,
  path: string,
  gitDir: string,
  bootstrap: BootstrapSpec,
  options: PrepareOptions,
): Promise<boolean> {
  const hasWork = (bootstrap.copy?.length ?? 0) + (bootstrap.commands?.length ?? 0) > 0;
  if (!hasWork) return false;
  const digest = createHash("sha256")
    .update(JSON.stringify({ copy: bootstrap.copy ?? [], commands: bootstrap.commands ?? [] }))
    .digest("hex");
  const marker = join(gitDir, BOOTSTRAP_MARKER);
  const previous = await readFile(marker, "utf8").catch(() => "");
  if (previous.includes(digest)) return false;
  await runBootstrap(context, {
    workstreamId,
    worktreePath: path,
    bootstrap,
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  await writeMarker(marker, { digest });
  return true;
}

async function writeMarker(file: string, content: object): Promise<void> {
  await writeFile(`${file}.tmp`, `${JSON.stringify(content)}\n`);
  await rename(`${file}.tmp`, file);
}

async function fileExists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function currentBranch(context: GitContext): Promise<string> {
  const result = await context.git(context.userRoot, ["symbolic-ref", "--quiet", "--short", "HEAD"], {
    okExitCodes: [0, 1],
  });
  const name = result.stdout.trim();
  if (result.exitCode !== 0 || name === "") {
    throw new WeftError(
      "SCHED_GIT_FAILED",
      `${context.userRoot} is on a detached HEAD; there is no current branch to start from`,
      {
        hint: "Check out a branch, or set base_branch in the workstream's _workstream.json.",
      },
    );
  }
  return name;
}

async function findEntryAtPath<T extends { path: string }>(
  entries: readonly T[],
  path: string,
): Promise<T | undefined> {
  for (const entry of entries) {
    if (entry.path === path || (await realpathOrUndefined(entry.path)) === path) return entry;
  }
  return undefined;
}

async function directoryHasContent(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length > 0;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return false;
    if (code === "ENOTDIR") return true;
    throw error;
  }
}
