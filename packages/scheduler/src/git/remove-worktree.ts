import { WeftError } from "@weft/core-schema";
import { STATUS_ARGS } from "./commit-task-changes.js";
import {
  assertBranchName,
  findBranchWorktree,
  type GitContext,
  readBranches,
  realpathOrUndefined,
  workstreamBranch,
} from "./git-context.js";
import { isBranchMerged } from "./merge-workstream.js";
import { parseStatusPorcelain, selectUserChanges } from "./parse-status.js";

/** Options of `remove`. */
export interface RemoveOptions {
  /** The branch the workstream merges into; needed to tell whether the branch's commits are merged. */
  readonly target?: string;
  /** The workstream completed (final validation and merge succeeded, or strategy `none`). */
  readonly completed?: boolean;
  /**
   * A person's explicit override: remove the worktree even when it has uncommitted changes or unmerged commits.
   * The branch is still deleted only when merged, so no commit is ever lost.
   */
  readonly force?: boolean;
  readonly signal?: AbortSignal;
}

/** What `remove` did. */
export interface RemoveResult {
  readonly removedWorktree: boolean;
  readonly deletedBranch: boolean;
  /** Why the branch was kept, when it was. */
  readonly branchKept?: "unmerged" | "no-target";
}

/**
 * Removes a workstream's worktree, fail-closed (SPEC §5 "Destructive git operations … with fail-closed checks"):
 * refused (`SCHED_WORKTREE_UNSAFE`) when the worktree has uncommitted changes or its branch has commits the target
 * does not contain, unless the workstream completed (or `force`). The worktree is removed with
 * `git worktree remove`; the branch is deleted (compare-and-swap `update-ref -d`) only when the target contains
 * its work.
 */
export async function removeWorktree(
  context: GitContext,
  workstreamId: string,
  options: RemoveOptions = {},
): Promise<RemoveResult> {
  const branch = workstreamBranch(workstreamId);
  const expectedPath = context.worktreePathOf(workstreamId);
  const { git, logger, mainRoot } = context;
  const signalOpt = options.signal === undefined ? {} : { signal: options.signal };
  if (options.target !== undefined) assertBranchName(options.target, "merge target branch");

  return context.exclusive(async () => {
    const entries = await context.listWorktrees(options.signal);
    const entry = findBranchWorktree(entries, branch);
    const livePath =
      entry === undefined || entry.prunable ? undefined : await realpathOrUndefined(entry.path);
    if (entry !== undefined && livePath !== undefined && livePath !== expectedPath) {
      throw new WeftError(
        "SCHED_WORKTREE_UNSAFE",
        `${branch} is checked out in ${entry.path}, which weft did not create`,
        {
          hint: "Remove that worktree yourself if you no longer need it.",
          details: { branch, path: entry.path, expected: expectedPath },
        },
      );
    }
    if (entry?.locked) {
      throw new WeftError("SCHED_WORKTREE_UNSAFE", `worktree ${entry.path} is locked`, {
        hint: `Unlock it (git worktree unlock ${entry.path}) if it can be removed.`,
        details: { path: entry.path },
      });
    }

    const branchTip = (await readBranches(git, mainRoot, [branch], options.signal)).get(branch);
    const hasBranch = branchTip !== undefined;
    const merged =
      hasBranch && options.target !== undefined
        ? await isBranchMerged(context, branch, options.target)
        : false;
    let dirtyFiles: string[] = [];
    if (livePath !== undefined) {
      const status = await git(livePath, STATUS_ARGS, signalOpt);
      dirtyFiles = selectUserChanges(parseStatusPorcelain(status.stdout)).map((change) => change.path);
    }
    const completed = options.completed === true;
    const force = options.force === true;
    if (!force && !completed && dirtyFiles.length > 0) {
      throw new WeftError(
        "SCHED_WORKTREE_UNSAFE",
        `refusing to remove ${expectedPath}: it has uncommitted changes`,
        {
          hint: "Commit or discard them in the worktree, or pass --force to remove it anyway (its branch is kept).",
          details: { path: expectedPath, files: dirtyFiles.slice(0, 50) },
        },
      );
    }
    if (!force && !completed && hasBranch && !merged) {
      throw new WeftError(
        "SCHED_WORKTREE_UNSAFE",
        `refusing to remove ${expectedPath}: ${branch} has commits not merged into ${options.target ?? "its target"}`,
        {
          hint: "Merge the branch first, or pass --force to remove the worktree (the branch is kept).",
          details: { path: expectedPath, branch, target: options.target ?? null },
        },
      );
    }

    let removedWorktree = false;
    if (livePath !== undefined) {
      const forceArgs = dirtyFiles.length > 0 ? ["--force"] : [];
      await git(mainRoot, ["worktree", "remove", ...forceArgs, "--", livePath], signalOpt);
      removedWorktree = true;
    } else if (entry?.prunable) {
      await git(mainRoot, ["worktree", "prune"], signalOpt);
      removedWorktree = true;
    }

    let deletedBranch = false;
    let branchKept: RemoveResult["branchKept"];
    if (branchTip !== undefined && merged) {
      // Compare-and-swap on the tip that was checked: a branch that moved meanwhile is not deleted.
      await git(mainRoot, ["update-ref", "-d", `refs/heads/${branch}`, branchTip.commit], signalOpt);
      deletedBranch = true;
    } else if (hasBranch) {
      branchKept = options.target === undefined ? "no-target" : "unmerged";
    }
    logger.info({ workstreamId, removedWorktree, deletedBranch, branchKept }, "workstream worktree removed");
    return { removedWorktree, deletedBranch, ...(branchKept === undefined ? {} : { branchKept }) };
  });
}
