import type { MergeStrategy } from "@weft/core-schema";

/** What preparing a workstream's worktree produced (SPEC §5 isolation). */
export interface PreparedWorkspace {
  readonly worktree: string;
  readonly branch: string;
  /** The commit the workstream branch started from (or its head when the worktree already existed). */
  readonly baseCommit: string;
}

/** The result of merging a workstream branch into its target. */
export type MergeOutcome =
  | { readonly ok: true; readonly commit: string | null }
  | { readonly ok: false; readonly conflicts: readonly string[]; readonly message: string };

/**
 * The git operations the engine orchestrates (implemented by `src/git/`, the workspace manager). The engine never runs
 * git itself: destructive operations stay in the git layer's fail-closed code (SPEC §5).
 */
export interface WorkspacePort {
  /** `git worktree add` on `weft/{ws}` from its base (or reuse an existing one after a crash) + bootstrap. */
  prepare(input: {
    readonly workstreamId: string;
    readonly baseBranch: string | undefined;
    readonly bootstrap: { readonly copy: readonly string[]; readonly commands: readonly string[] };
    readonly signal?: AbortSignal;
  }): Promise<PreparedWorkspace>;
  headCommit(worktree: string): Promise<string>;
  isClean(worktree: string): Promise<boolean>;
  /** Commits what a task left changed (message names the task, `Weft-Task:` trailer); no commit when nothing changed. */
  commitTaskChanges(input: {
    readonly worktree: string;
    readonly workstreamId: string;
    readonly taskId: string;
    readonly taskName: string;
  }): Promise<{ readonly committed: boolean; readonly commit: string | null }>;
  /** Merges `weft/{ws}` into the target; on conflict the target is left untouched. */
  merge(input: {
    readonly workstreamId: string;
    readonly worktree: string;
    readonly targetBranch: string | undefined;
    readonly baseBranch: string | undefined;
    readonly strategy: MergeStrategy;
  }): Promise<MergeOutcome>;
  /** Removes the worktree of a completed workstream (the branch stays merged). */
  remove(workstreamId: string): Promise<void>;
  /** Keeps worktree and branch of a failed/cancelled workstream for analysis. */
  preserve(workstreamId: string): Promise<void>;
  /** Resets a worktree to a commit and removes untracked files (crash recovery). */
  resetToCommit(worktree: string, commit: string): Promise<void>;
  /** Copies the workstream's state to `.state/archive/workstreams/{ws}/`; returns the folder. */
  archiveWorkstreamState(input: {
    readonly workstreamId: string;
    readonly stateDir: string;
    readonly state: unknown;
  }): Promise<string>;
}
