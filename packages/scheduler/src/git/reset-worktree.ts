import { rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { WeftError } from "@weft/core-schema";
import { type GitContext, realpathOrUndefined, resolveCommit } from "./git-context.js";
import { isAncestor } from "./merge-workstream.js";
import { isStrictlyInside } from "./resolve-inside.js";

/** What `resetToCommit` did. */
export interface ResetResult {
  readonly path: string;
  readonly previousHead: string;
  readonly head: string;
}

const FULL_COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Crash recovery (DESIGN §3): resets a workstream worktree to an attempt's base commit — `git reset --hard <commit>`
 * then `git clean -fd` (ignored files such as dependencies stay). Fail-closed: the path must be a registered worktree
 * of this repository strictly under the worktrees root (never the main working tree), on a `weft/` branch, and the
 * commit a full id that is an ancestor of its HEAD (only the crashed attempt's own commits are dropped).
 */
export async function resetWorktree(
  context: GitContext,
  path: string,
  commit: string,
  options: { signal?: AbortSignal } = {},
): Promise<ResetResult> {
  const { git, logger } = context;
  const signalOpt = options.signal === undefined ? {} : { signal: options.signal };
  const refuse = (why: string): never => {
    throw new WeftError("SCHED_WORKTREE_UNSAFE", `refusing to reset ${path}: ${why}`, {
      hint: "weft only resets worktrees it created under the worktrees root; inspect the folder yourself.",
      details: { path, commit },
    });
  };
  if (!FULL_COMMIT.test(commit)) refuse(`${JSON.stringify(commit)} is not a full commit id`);
  const real = await realpathOrUndefined(path);
  if (real === undefined) return refuse("it does not exist");
  if (
    real === context.mainRoot ||
    real === context.userRoot ||
    !isStrictlyInside(context.worktreesRoot, real)
  )
    refuse(`it is not under ${context.worktreesRoot}`);
  const entries = await context.listWorktrees(options.signal);
  let branch: string | undefined;
  for (const entry of entries) {
    if (entry.main || entry.bare || entry.prunable) continue;
    if ((await realpathOrUndefined(entry.path)) !== real) continue;
    if (!entry.branch?.startsWith("refs/heads/weft/"))
      refuse(`it is on ${entry.branch ?? "a detached HEAD"}, not a weft/ branch`);
    branch = entry.branch;
  }
  if (branch === undefined) return refuse("it is not a registered worktree of this repository");
  const top = (await git(real, ["rev-parse", "--show-toplevel"], signalOpt)).stdout.trim();
  if ((await realpathOrUndefined(top)) !== real) refuse("it is not the top of a worktree");

  const branchRef = branch;
  const { previousHead, target } = await context.serializeOn(real, async () => {
    // A killed agent can leave git's lock files behind (its index, its branch ref). The engine calls this only after
    // the attempt's processes are dead, so such locks are stale.
    const gitDir = (
      await git(real, ["rev-parse", "--path-format=absolute", "--git-dir"], signalOpt)
    ).stdout.trim();
    for (const lock of [
      join(gitDir, "index.lock"),
      join(gitDir, "HEAD.lock"),
      join(context.commonDir, `${branchRef}.lock`),
    ]) {
      if (
        await stat(lock).then(
          () => true,
          () => false,
        )
      ) {
        await rm(lock, { force: true });
        logger.warn({ path: real, lock }, "removed stale git lock left by a killed process");
      }
    }
    const previousHead = await resolveCommit(git, real, "HEAD");
    const target = await resolveCommit(git, real, commit);
    if (!(await isAncestor(git, real, target, previousHead)))
      refuse(`${commit} is not an ancestor of its HEAD ${previousHead}`);
    await git(real, ["reset", "--hard", "--quiet", target], signalOpt);
    await git(real, ["clean", "-fd", "--quiet"], signalOpt);
    return { previousHead, target };
  });
  logger.info({ path: real, previousHead, head: target }, "worktree reset to attempt base");
  return { path: real, previousHead, head: target };
}
