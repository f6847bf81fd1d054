import { WeftError } from "@weft/core-schema";
import { assertId, type GitContext, realpathOrUndefined } from "./git-context.js";
import { parseStatusPorcelain, selectUserChanges, WEFT_OWNED_EXCLUDE_PATHSPECS } from "./parse-status.js";
import { checkRelativePath, isStrictlyInside } from "./resolve-inside.js";

/** The task whose leftovers are committed. */
export interface CommitTask {
  readonly task_id: string;
  readonly name: string;
}

/** Options of `commitTaskChanges`. */
export interface CommitTaskOptions {
  readonly signal?: AbortSignal;
  /**
   * Commit only these repo-relative paths (e.g. an agent's `files_modified`), so that when parallel tasks share the
   * worktree, one task's commit does not take another's half-done files. Default: everything left changed.
   */
  readonly paths?: readonly string[];
}

/** What `commitTaskChanges` did. */
export interface CommitTaskResult {
  readonly committed: boolean;
  /** The new commit, when one was made. */
  readonly commit?: string;
  /** The paths that were committed (repo-relative). */
  readonly files: readonly string[];
}

/** The trailer key that marks a weft task commit (SPEC §5). */
export const WEFT_TASK_TRAILER = "Weft-Task";

/**
 * Builds the commit message of a task's leftover changes (pure): `weft: <name> (<task_id>)`, a blank line, and a
 * `Weft-Task: <task_id>` trailer. The name is flattened to one line.
 */
export function buildTaskCommitMessage(task: CommitTask): string {
  const name = task.name.replace(/\s+/g, " ").trim() || task.task_id;
  return `weft: ${name} (${task.task_id})\n\n${WEFT_TASK_TRAILER}: ${task.task_id}\n`;
}

/** The full commit id from `git commit`'s summary line `[<branch> <id>] <subject>` (pure); `undefined` if absent. */
export function parseCommitSummary(output: string): string | undefined {
  return /^\[[^\]\s]+(?: \(root-commit\))? ([0-9a-f]{40}|[0-9a-f]{64})\]/m.exec(output)?.[1];
}

/** The `git status` call that detects leftovers: porcelain v1, NUL-separated, every untracked file. */
export const STATUS_ARGS: readonly string[] = [
  "status",
  "--porcelain",
  "-z",
  "--untracked-files=all",
  "--no-renames",
];

/**
 * Commits what a succeeded task left changed in its worktree on the workstream branch (SPEC §5). Cheap when nothing
 * changed: one `git status` call and no commit. Otherwise `git add -A` (minus `.weft/` and `.aider*`) and one commit
 * with the weft identity (unless the repo has one) and hooks skipped. Commits the agent made itself stay untouched.
 */
export async function commitTaskChanges(
  context: GitContext,
  path: string,
  task: CommitTask,
  options: CommitTaskOptions = {},
): Promise<CommitTaskResult> {
  assertId(task.task_id, "task id");
  const { git } = context;
  const signalOpt = options.signal === undefined ? {} : { signal: options.signal };
  // Fail-closed: weft commits only inside its own worktrees, never in the user's working tree.
  const real = await realpathOrUndefined(path);
  if (real === undefined || !isStrictlyInside(context.worktreesRoot, real)) {
    throw new WeftError(
      "SCHED_WORKTREE_UNSAFE",
      `refusing to commit in ${path}: it is not a weft worktree under ${context.worktreesRoot}`,
      {
        hint: "Workstreams with isolation none make no commits.",
        details: { path, taskId: task.task_id },
      },
    );
  }
  const scope =
    options.paths === undefined
      ? ["."]
      : options.paths.map((p) => `:(literal)${checkRelativePath(p, "committed path")}`);
  if (scope.length === 0) return { committed: false, files: [] };
  return context.serializeOn(real, async () => {
    const status = await git(path, [...STATUS_ARGS, "--", ...scope], signalOpt);
    const changes = selectUserChanges(parseStatusPorcelain(status.stdout));
    if (changes.length === 0) return { committed: false, files: [] };

    // An agent of a parallel task may hold the worktree's index or HEAD lock for a moment: retry on lock contention.
    // With explicit paths, stage only those that changed (a listed path that did not change is not an error).
    const toAdd = options.paths === undefined ? scope : changes.map((change) => `:(literal)${change.path}`);
    await git(path, ["add", "-A", "--", ...toAdd, ...WEFT_OWNED_EXCLUDE_PATHSPECS], {
      ...signalOpt,
      retryOnLock: true,
    });
    const identity = await context.identityArgs();
    const commit = await git(
      path,
      // `core.abbrev=no` makes the summary line carry the full id, which saves a `rev-parse HEAD` per task.
      [
        ...identity,
        "-c",
        "core.abbrev=no",
        "commit",
        "--no-verify",
        "--no-gpg-sign",
        "--no-status",
        "--cleanup=whitespace",
        "-F",
        "-",
        // With explicit paths, commit exactly those (`--only` semantics), whatever else is staged.
        ...(options.paths === undefined
          ? []
          : ["--", ...changes.map((change) => `:(literal)${change.path}`)]),
      ],
      { ...signalOpt, input: buildTaskCommitMessage(task), okExitCodes: [0, 1], retryOnLock: true },
    );
    if (commit.exitCode !== 0) {
      const staged = await git(path, ["diff", "--cached", "--quiet"], { ...signalOpt, okExitCodes: [0, 1] });
      if (staged.exitCode === 0) return { committed: false, files: [] };
      throw new WeftError(
        "SCHED_GIT_FAILED",
        `committing the changes of task ${task.task_id} failed: ${commit.stderr || commit.stdout}`,
        {
          hint: `Inspect the worktree with git -C ${path} status.`,
          details: { taskId: task.task_id, path },
        },
      );
    }
    const sha =
      parseCommitSummary(commit.stdout) ??
      (await git(path, ["rev-parse", "--verify", "HEAD"], signalOpt)).stdout.trim();
    context.logger.info(
      { taskId: task.task_id, commit: sha, files: changes.length },
      "task changes committed",
    );
    return { committed: true, commit: sha, files: changes.map((change) => change.path) };
  });
}
