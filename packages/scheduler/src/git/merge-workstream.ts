import { type MergeStrategy, WeftError } from "@weft/core-schema";
import { assertBranchName, type GitContext, requireBranches, workstreamBranch } from "./git-context.js";
import { parseStatusPorcelain, selectUserChanges } from "./parse-status.js";
import type { RunGit } from "./run-git.js";

/** Options of `merge`. */
export interface MergeOptions {
  /** The branch to merge into (a local branch). */
  readonly target: string;
  readonly strategy: MergeStrategy;
  /** Commit message (subject + body). Default `weft: merge workstream <ws>`. A `Weft-Workstream` trailer is added. */
  readonly message?: string;
  /** Must be `weft/{ws}` when given (kept for symmetry with `prepare`'s result). */
  readonly branch?: string;
  /** The workstream's worktree (informational; the merge never touches it). */
  readonly path?: string;
  readonly signal?: AbortSignal;
}

/** The outcome of `merge`. A conflict is an answer, not an exception: the target is left untouched. */
export type MergeResult =
  | {
      readonly ok: true;
      /** The target's commit after the merge (the new merge/squash commit, or the unchanged tip). `null` for strategy `none`. */
      readonly commit: string | null;
      /** False for strategy `none` (nothing merged). */
      readonly merged: boolean;
      /** True when the target already contained the branch's work (no new commit). */
      readonly alreadyMerged: boolean;
    }
  | {
      readonly ok: false;
      /** Conflicting files (repo-relative, sorted). */
      readonly conflicts: readonly string[];
      /** The target's (unchanged) commit and the branch's commit, for the failure record. */
      readonly targetCommit: string;
      readonly branchCommit: string;
    };

/** Trailer naming the workstream on weft's merge and squash commits. */
export const WEFT_WORKSTREAM_TRAILER = "Weft-Workstream";

/** Builds the merge/squash commit message (pure): the given message (or a default) plus the workstream trailer. */
export function buildMergeMessage(
  workstreamId: string,
  message: string | undefined,
  squashed: readonly string[] = [],
): string {
  let text = (message ?? `weft: merge workstream ${workstreamId}`).trimEnd();
  if (squashed.length > 0)
    text += `\n\nSquashed commits:\n${squashed.map((subject) => `- ${subject}`).join("\n")}`;
  if (!text.includes(`${WEFT_WORKSTREAM_TRAILER}: `))
    text += `\n\n${WEFT_WORKSTREAM_TRAILER}: ${workstreamId}`;
  return `${text}\n`;
}

/** Parses `git merge-tree --write-tree -z --name-only --no-messages` output (pure): the tree and conflicted files. */
export function parseMergeTree(output: string): { tree: string; conflicts: string[] } {
  const [tree = "", ...rest] = output.split("\0");
  const conflicts = [...new Set(rest.filter((name) => name !== ""))].sort();
  return { tree: tree.trim(), conflicts };
}

/**
 * Merges a workstream branch into its target (SPEC §5) without ever leaving a half-merged state:
 * the merge is computed first with `git merge-tree --write-tree` (no working tree involved); a conflict returns
 * `{ ok: false, conflicts }` with the target untouched. A clean result becomes one commit (`merge`: two parents,
 * always a merge commit; `squash`: one parent) created with `commit-tree`, and the target moves to it:
 * - target checked out in no working tree: `update-ref` with the old value as guard (compare-and-swap);
 * - target checked out in a working tree (usually the user's main tree): refused if that tree has uncommitted
 *   changes to tracked files (`SCHED_MERGE_TARGET_DIRTY`), else `git merge --ff-only <commit>` there.
 * `none` merges nothing.
 */
export async function mergeWorkstream(
  context: GitContext,
  workstreamId: string,
  options: MergeOptions,
): Promise<MergeResult> {
  const branch = workstreamBranch(workstreamId);
  if (options.branch !== undefined && options.branch !== branch) {
    throw new Error(`bug: merge of ${workstreamId} was given branch ${options.branch}, expected ${branch}`);
  }
  if (options.strategy === "none") return { ok: true, commit: null, merged: false, alreadyMerged: false };
  const { git, logger, mainRoot } = context;
  const signalOpt = options.signal === undefined ? {} : { signal: options.signal };
  const target = options.target;
  assertBranchName(target, "merge target branch");

  return context.exclusive(async () => {
    const [targetTip, branchTip] = await requireBranches(git, mainRoot, [target, branch], options.signal);
    const targetCommit = targetTip!.commit;
    const branchCommit = branchTip!.commit;
    if (await isAncestor(git, mainRoot, branchCommit, targetCommit)) {
      logger.info({ workstreamId, target, commit: targetCommit }, "workstream already merged");
      return { ok: true, commit: targetCommit, merged: true, alreadyMerged: true };
    }
    const mergeTree = await git(
      mainRoot,
      ["merge-tree", "--write-tree", "-z", "--name-only", "--no-messages", targetCommit, branchCommit],
      { ...signalOpt, okExitCodes: [0, 1] },
    );
    const { tree, conflicts } = parseMergeTree(mergeTree.stdout);
    if (mergeTree.exitCode === 1) {
      logger.warn({ workstreamId, target, conflicts }, "merge conflict; target left untouched");
      return { ok: false, conflicts, targetCommit, branchCommit };
    }
    if (tree === targetTip!.tree) {
      logger.info({ workstreamId, target }, "workstream brings no change; nothing to merge");
      return { ok: true, commit: targetCommit, merged: true, alreadyMerged: true };
    }
    let squashed: string[] = [];
    if (options.strategy === "squash") {
      const log = await git(
        mainRoot,
        ["log", "--reverse", "--format=%s", `${targetCommit}..${branchCommit}`],
        signalOpt,
      );
      squashed = log.stdout.split("\n").filter((line) => line !== "");
    }
    const parents =
      options.strategy === "squash" ? ["-p", targetCommit] : ["-p", targetCommit, "-p", branchCommit];
    const identity = await context.identityArgs();
    const created = await git(
      mainRoot,
      [...identity, "commit-tree", "--no-gpg-sign", tree, ...parents, "-F", "-"],
      {
        ...signalOpt,
        input: buildMergeMessage(workstreamId, options.message, squashed),
      },
    );
    const commit = created.stdout.trim();
    await moveTarget(context, target, targetCommit, commit, workstreamId, signalOpt);
    logger.info({ workstreamId, target, strategy: options.strategy, commit }, "workstream merged");
    return { ok: true, commit, merged: true, alreadyMerged: false };
  });
}

async function moveTarget(
  context: GitContext,
  target: string,
  oldCommit: string,
  newCommit: string,
  workstreamId: string,
  signalOpt: { signal?: AbortSignal },
): Promise<void> {
  const { git } = context;
  const entries = await context.listWorktrees(signalOpt.signal);
  const checkedOut = entries.find((entry) => entry.branch === `refs/heads/${target}` && !entry.prunable);
  if (checkedOut === undefined) {
    await git(
      context.mainRoot,
      [
        "update-ref",
        "-m",
        `weft: merge ${workstreamBranch(workstreamId)}`,
        `refs/heads/${target}`,
        newCommit,
        oldCommit,
      ],
      signalOpt,
    );
    return;
  }
  const status = await git(
    checkedOut.path,
    ["status", "--porcelain", "-z", "--untracked-files=no"],
    signalOpt,
  );
  const dirty = selectUserChanges(parseStatusPorcelain(status.stdout));
  if (dirty.length > 0 || checkedOut.head !== oldCommit) {
    throw new WeftError(
      "SCHED_MERGE_TARGET_DIRTY",
      dirty.length > 0
        ? `cannot merge ${workstreamBranch(workstreamId)} into ${target}: ${checkedOut.path} has uncommitted changes (${dirty
            .slice(0, 5)
            .map((entry) => entry.path)
            .join(", ")}${dirty.length > 5 ? ", …" : ""})`
        : `cannot merge ${workstreamBranch(workstreamId)} into ${target}: ${target} moved while merging`,
      {
        hint: `Commit or stash your changes in ${checkedOut.path} (or check out another branch there), then run \`weft retry\` for the workstream; its branch is kept.`,
        details: { target, worktree: checkedOut.path, files: dirty.map((entry) => entry.path) },
      },
    );
  }
  try {
    await git(checkedOut.path, ["merge", "--ff-only", "--quiet", newCommit], signalOpt);
  } catch (cause) {
    throw new WeftError(
      "SCHED_MERGE_TARGET_DIRTY",
      `cannot fast-forward ${target} in ${checkedOut.path} to the merge result`,
      {
        hint: `Untracked files in ${checkedOut.path} would be overwritten, or ${target} moved; move them away and run \`weft retry\`.`,
        details: { target, worktree: checkedOut.path, commit: newCommit },
        cause,
      },
    );
  }
}

/** True when `ancestor` is an ancestor of (or equal to) `descendant`. */
export async function isAncestor(
  git: RunGit,
  cwd: string,
  ancestor: string,
  descendant: string,
): Promise<boolean> {
  const result = await git(cwd, ["merge-base", "--is-ancestor", ancestor, descendant], {
    okExitCodes: [0, 1],
  });
  return result.exitCode === 0;
}

/**
 * True when the target already holds everything the branch changed: the branch is an ancestor of the target, or
 * merging it into the target would change nothing (how a squash-merged branch looks).
 */
export async function isBranchMerged(context: GitContext, branch: string, target: string): Promise<boolean> {
  const { git, mainRoot } = context;
  const [targetTip, branchTip] = await requireBranches(git, mainRoot, [target, branch]);
  const targetCommit = targetTip!.commit;
  const branchCommit = branchTip!.commit;
  if (await isAncestor(git, mainRoot, branchCommit, targetCommit)) return true;
  const mergeTree = await git(
    mainRoot,
    ["merge-tree", "--write-tree", "-z", "--name-only", "--no-messages", targetCommit, branchCommit],
    { okExitCodes: [0, 1] },
  );
  if (mergeTree.exitCode !== 0) return false;
  return parseMergeTree(mergeTree.stdout).tree === targetTip!.tree;
}
