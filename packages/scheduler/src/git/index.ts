/**
 * The git side of the weft engine (SPEC §5, DESIGN §3/§7): workstream worktrees, per-task commits, merge,
 * preservation, crash reset. Re-exported by `@weft/scheduler`'s entry module.
 */
export {
  ARCHIVE_SUMMARY_FILE,
  archiveWorkstreamState,
  type WorkstreamArchiveRecord,
} from "./archive-workstream-state.js";
export {
  buildTaskCommitMessage,
  type CommitTask,
  type CommitTaskOptions,
  type CommitTaskResult,
  WEFT_TASK_TRAILER,
} from "./commit-task-changes.js";
export { createWorkspacePort, type WorkspacePortOptions } from "./create-workspace-port.js";
export { workstreamBranch } from "./git-context.js";
export {
  buildMergeMessage,
  type MergeOptions,
  type MergeResult,
  parseMergeTree,
  WEFT_WORKSTREAM_TRAILER,
} from "./merge-workstream.js";
export { isWeftOwnedPath, parseStatusPorcelain, type StatusEntry } from "./parse-status.js";
export { parseWorktreeList, type WorktreeEntry } from "./parse-worktree-list.js";
export type { PreparedWorktree, PrepareOptions, PrepareWorkstream } from "./prepare-worktree.js";
export type { RemoveOptions, RemoveResult } from "./remove-worktree.js";
export type { ResetResult } from "./reset-worktree.js";
export type { BootstrapSpec, LogSink } from "./run-bootstrap.js";
export {
  type CreateRunGitOptions,
  createRunGit,
  type GitResult,
  type RunGit,
  type RunGitOptions,
  runGit,
} from "./run-git.js";
export {
  createWorkspaceManager,
  type PreservedWorkstream,
  type WorkspaceManager,
  type WorkspaceManagerOptions,
} from "./workspace-manager.js";
