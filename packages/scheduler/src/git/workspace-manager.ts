import { type Logger, silentLogger } from "@weft/core-schema";
import { archiveWorkstreamState, type WorkstreamArchiveRecord } from "./archive-workstream-state.js";
import {
  type CommitTask,
  type CommitTaskOptions,
  type CommitTaskResult,
  commitTaskChanges,
  STATUS_ARGS,
} from "./commit-task-changes.js";
import {
  createGitContext,
  findBranchWorktree,
  type GitContext,
  realpathOrUndefined,
  resolveCommit,
  workstreamBranch,
} from "./git-context.js";
import { type MergeOptions, type MergeResult, mergeWorkstream } from "./merge-workstream.js";
import { parseStatusPorcelain, selectUserChanges } from "./parse-status.js";
import {
  type PreparedWorktree,
  type PrepareOptions,
  type PrepareWorkstream,
  prepareWorktree,
} from "./prepare-worktree.js";
import { type RemoveOptions, type RemoveResult, removeWorktree } from "./remove-worktree.js";
import { type ResetResult, resetWorktree } from "./reset-worktree.js";
import { runGit as defaultRunGit, type RunGit } from "./run-git.js";

/** Options of {@link createWorkspaceManager}. */
export interface WorkspaceManagerOptions {
  /** A directory of the working tree weft runs in (the top of it is the repository root for weft). */
  readonly repoRoot: string;
  /** Where worktrees go: absolute, or relative to the main working tree. Default `.weft/worktrees` (config `worktrees.root`). */
  readonly worktreesRoot?: string;
  readonly logger?: Logger;
  /** The git runner (default: `git` on PATH via execa). Tests wrap it to count or observe calls. */
  readonly runGit?: RunGit;
}

/** Where a preserved workstream's work is (for the archive record). */
export interface PreservedWorkstream {
  readonly branch: string;
  /** `null` when the worktree is gone (only the branch holds the work). */
  readonly path: string | null;
  /** Branch tip, `null` when the branch does not exist. */
  readonly headCommit: string | null;
}

/** The git side of the engine for workstreams in `worktree` isolation (SPEC §5). `isolation: none` uses none of it. */
export interface WorkspaceManager {
  /** Creates or reuses `weft/{ws}`'s worktree and runs its bootstrap. */
  prepare(ws: PrepareWorkstream, options?: PrepareOptions): Promise<PreparedWorktree>;
  /** The commit checked out in a worktree (an attempt's base commit). */
  headCommit(path: string): Promise<string>;
  /** Built-in `git_clean` gate: no uncommitted or untracked change (weft/Aider files ignored). */
  isClean(path: string): Promise<boolean>;
  /** The changed paths `isClean` looks at (for gate messages). */
  changedFiles(path: string): Promise<string[]>;
  /** Commits a succeeded task's leftovers with a `Weft-Task` trailer; one `git status` when nothing changed. */
  commitTaskChanges(path: string, task: CommitTask, options?: CommitTaskOptions): Promise<CommitTaskResult>;
  /** Merges `weft/{ws}` into the target; a conflict returns `{ ok: false, conflicts }` and touches nothing. */
  merge(workstreamId: string, options: MergeOptions): Promise<MergeResult>;
  /** Fail-closed removal of the worktree (and of the branch when merged). */
  remove(workstreamId: string, options?: RemoveOptions): Promise<RemoveResult>;
  /** Leaves worktree and branch in place; returns where they are. */
  preserve(workstreamId: string): Promise<PreservedWorkstream>;
  /** Crash recovery: `reset --hard` + `clean -fd` of one weft worktree to an attempt's base commit. */
  resetToCommit(path: string, commit: string, options?: { signal?: AbortSignal }): Promise<ResetResult>;
  /** Writes `{archiveRoot}/{ws}/summary.json` atomically; returns its path. */
  archiveWorkstreamState(archiveRoot: string, record: WorkstreamArchiveRecord): Promise<string>;
  /** The worktree path `prepare` uses for a workstream. */
  worktreePathOf(workstreamId: string): Promise<string>;
  /** `weft/{ws}` (throws `ID_INVALID` for a bad id). */
  branchOf(workstreamId: string): string;
}

/**
 * Creates the workspace manager the engine calls for worktree isolation (SPEC §5, DESIGN §3/§7). Repository facts
 * are resolved on first use; every git call goes through `runGit`.
 */
export function createWorkspaceManager(options: WorkspaceManagerOptions): WorkspaceManager {
  const git = options.runGit ?? defaultRunGit;
  const logger = options.logger ?? silentLogger;
  let contextPromise: Promise<GitContext> | undefined;
  const context = (): Promise<GitContext> => {
    contextPromise ??= createGitContext({
      repoRoot: options.repoRoot,
      ...(options.worktreesRoot === undefined ? {} : { worktreesRoot: options.worktreesRoot }),
      git,
      logger,
    });
    contextPromise.catch(() => {
      contextPromise = undefined;
    });
    return contextPromise;
  };
  const changedFiles = async (path: string): Promise<string[]> => {
    const status = await git(path, STATUS_ARGS);
    return selectUserChanges(parseStatusPorcelain(status.stdout)).map((entry) => entry.path);
  };

  return {
    async prepare(ws, prepareOptions) {
      return prepareWorktree(await context(), ws, prepareOptions);
    },
    async headCommit(path) {
      return resolveCommit(git, path, "HEAD");
    },
    async isClean(path) {
      return (await changedFiles(path)).length === 0;
    },
    changedFiles,
    async commitTaskChanges(path, task, commitOptions) {
      return commitTaskChanges(await context(), path, task, commitOptions);
    },
    async merge(workstreamId, mergeOptions) {
      return mergeWorkstream(await context(), workstreamId, mergeOptions);
    },
    async remove(workstreamId, removeOptions) {
      return removeWorktree(await context(), workstreamId, removeOptions);
    },
    async preserve(workstreamId) {
      const ctx = await context();
      const branch = workstreamBranch(workstreamId);
      const entry = findBranchWorktree(await ctx.listWorktrees(), branch);
      const path =
        entry === undefined || entry.prunable ? null : ((await realpathOrUndefined(entry.path)) ?? null);
      const tip = await git(ctx.mainRoot, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`], {
        okExitCodes: [0, 1],
      });
      const headCommit = tip.exitCode === 0 ? tip.stdout.trim() : null;
      logger.info({ workstreamId, branch, path, headCommit }, "workstream preserved");
      return { branch, path, headCommit };
    },
    async resetToCommit(path, commit, resetOptions) {
      return resetWorktree(await context(), path, commit, resetOptions);
    },
    archiveWorkstreamState,
    async worktreePathOf(workstreamId) {
      return (await context()).worktreePathOf(workstreamId);
    },
    branchOf: workstreamBranch,
  };
}
