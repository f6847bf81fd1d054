/**
 * Puts a worktree back to the attempt's PRE commit (SPEC §10: insufficient context and boundary violations are
 * reverted; weft reverts every failed attempt so the next one starts from the same tree). Fail-closed: it only
 * acts on the worktree it was given, only removes the untracked files the attempt created, and verifies the
 * result; anything unexpected is reported, never forced.
 */
import { realpath } from "node:fs/promises";
import { fingerprint, readWorktreeStatus } from "./aider-result.js";
import type { Git } from "./git.js";

/** Inputs of {@link revertWorktree}. */
export interface RevertInput {
  readonly git: Git;
  /** Real path of the worktree root the attempt ran in. */
  readonly worktree: string;
  readonly pre: string;
  /** Untracked files the attempt created (from collectGitChanges); nothing else is deleted. */
  readonly untracked: readonly string[];
  /** Untracked files that were there before the attempt, with their fingerprints (from recordPre). */
  readonly preexisting?: ReadonlyMap<string, string> | undefined;
}

/** Outcome of a revert. */
export type RevertOutcome =
  | { readonly reverted: true }
  | { readonly reverted: false; readonly reason: string };

/**
 * `git reset --hard PRE`, then `git clean -f` of exactly the attempt's new untracked files, then checks that HEAD
 * is PRE and the tree is clean. Refuses when the git toplevel is not `worktree` or PRE is not a commit.
 */
export async function revertWorktree(input: RevertInput): Promise<RevertOutcome> {
  const { git, worktree, pre } = input;
  try {
    const top = (await git(["rev-parse", "--show-toplevel"])).trim();
    if ((await realpath(top)) !== worktree)
      return { reverted: false, reason: `git toplevel ${top} is not ${worktree}` };
    if (!/^[0-9a-f]{40,64}$/.test(pre)) return { reverted: false, reason: `PRE '${pre}' is not a commit id` };
    await git(["cat-file", "-e", `${pre}^{commit}`]);
    await git(["reset", "--hard", "--quiet", pre]);
    if (input.untracked.length > 0) {
      await git(["clean", "-f", "--quiet", "--", ...input.untracked.map((p) => `:(literal)${p}`)]);
    }
    const head = (await git(["rev-parse", "HEAD"])).trim();
    const preexisting = input.preexisting ?? new Map<string, string>();
    const left = (await readWorktreeStatus(git)).filter((e) => !(e.code === "??" && preexisting.has(e.path)));
    const changed: string[] = [];
    for (const [rel, print] of preexisting)
      if ((await fingerprint(worktree, rel)) !== print) changed.push(rel);
    if (changed.length > 0) {
      return {
        reverted: false,
        reason: `untracked files that were there before were changed and cannot be restored: ${changed.join(", ")}`,
      };
    }
    if (head !== pre || left.length > 0) {
      return {
        reverted: false,
        reason: `after the revert HEAD is ${head} and ${left.length} path(s) still differ: ${left
          .slice(0, 10)
          .map((e) => e.path)
          .join(", ")}`,
      };
    }
    return { reverted: true };
  } catch (error) {
    return { reverted: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
