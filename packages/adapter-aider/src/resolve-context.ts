/**
 * The task's context, resolved inside its worktree and packed into the token budget (AIDER-INT-002, DESIGN §7).
 * Reads files; never writes.
 */
import { lstat, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { WeftError } from "@weft/core-schema";
import picomatch from "picomatch";
import type { TokenCounter } from "./count-tokens.js";

/** A file given to Aider, with its token count. `path` is repo-relative with `/` separators. */
export interface ContextFile {
  readonly path: string;
  readonly tokens: number;
  /** False for a required file that does not exist yet (Aider creates it). */
  readonly exists: boolean;
}

/** A listed file that was not given to Aider, and why. */
export interface SkippedFile {
  readonly path: string;
  readonly reason: "excluded" | "over_budget" | "missing" | "duplicate";
  readonly tokens?: number;
}

/** What Aider receives, as recorded in the attempt's metadata. */
export interface ResolvedContext {
  readonly editable: readonly ContextFile[];
  readonly readOnly: readonly ContextFile[];
  readonly skipped: readonly SkippedFile[];
  readonly requiredTokens: number;
  /** Required plus included optional files. */
  readonly totalTokens: number;
  readonly maxContextTokens: number;
  /** Tokens kept free for the prompt itself (e.g. a PIPELINE fix's gate output). */
  readonly reservedTokens: number;
}

/** The `context_requirements` block of a task (SPEC §3). */
export interface ContextRequirementsInput {
  readonly max_context_tokens: number;
  readonly required_files: readonly string[];
  readonly optional_files: readonly string[];
  readonly exclude_patterns: readonly string[];
}

/** A path of a task resolved inside the worktree. */
export interface WorktreePath {
  /** Canonical repo-relative path (`/` separators, symlinks inside the worktree resolved). */
  readonly rel: string;
  readonly abs: string;
  readonly exists: boolean;
}

function refuse(candidate: string, why: string): WeftError {
  return new WeftError("AIDER_PATH_OUTSIDE_WORKTREE", `task path '${candidate}' is refused: ${why}`, {
    hint: "List files relative to the worktree root, without '..', absolute paths or symlinks that leave it.",
    details: { path: candidate, reason: why },
  });
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** The repo-relative form of a real path inside the worktree; `.git` internals are refused here too. */
function canonicalRel(worktree: string, real: string, candidate: string): string {
  const rel = path.relative(worktree, real).split(path.sep).join("/");
  if (rel === "" || rel.split("/").some((s) => s.toLowerCase() === ".git"))
    throw refuse(candidate, "inside .git");
  return rel;
}

async function lstatOrNull(p: string) {
  try {
    return await lstat(p);
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === "ENOENT" ||
      (error as NodeJS.ErrnoException).code === "ENOTDIR"
    ) {
      return null;
    }
    throw error;
  }
}

/**
 * Resolves one path from a task inside `worktree` (which must already be a real path). Refused with
 * `AIDER_PATH_OUTSIDE_WORKTREE`: empty, control characters, backslashes, absolute (`/x`, `C:`, `~`), any `..`
 * segment, anything under `.git`, a directory, a dangling symlink, or a symlink (of the file or of any parent)
 * whose target lies outside the worktree. A file that does not exist is accepted when its nearest existing parent
 * is inside (Aider creates `--file` paths that are missing).
 */
export async function resolveWorktreePath(worktree: string, candidate: string): Promise<WorktreePath> {
  if (typeof candidate !== "string" || candidate.trim() === "") throw refuse(String(candidate), "empty path");
  if (/[\u0000-\u001f\u007f]/.test(candidate)) throw refuse(candidate, "control characters");
  if (candidate.includes("\\")) throw refuse(candidate, "backslash (use '/' as the separator)");
  if (candidate.startsWith("/") || /^[A-Za-z]:/.test(candidate) || candidate.startsWith("~")) {
    throw refuse(candidate, "absolute path");
  }
  const segments = candidate.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) throw refuse(candidate, "'..' leaves the worktree");
  if (segments.length === 0) throw refuse(candidate, "names the worktree itself");
  if (segments.some((s) => s.toLowerCase() === ".git")) throw refuse(candidate, "inside .git");

  const abs = path.join(worktree, ...segments);
  // Walk up to the nearest existing entry; its real path must stay inside the worktree.
  let probe = abs;
  for (;;) {
    const info = await lstatOrNull(probe);
    if (info !== null) {
      let real: string;
      try {
        real = await realpath(probe);
      } catch {
        throw refuse(candidate, "dangling symlink");
      }
      if (!isInside(worktree, real)) throw refuse(candidate, `symlink to ${real}, outside the worktree`);
      if (probe !== abs) {
        if (!info.isDirectory() && !info.isSymbolicLink())
          throw refuse(candidate, `${probe} is not a directory`);
        const target = path.join(real, path.relative(probe, abs));
        return { rel: canonicalRel(worktree, target, candidate), abs: target, exists: false };
      }
      if (!(await stat(real)).isFile()) throw refuse(candidate, "not a regular file");
      return { rel: canonicalRel(worktree, real, candidate), abs: real, exists: true };
    }
    const parent = path.dirname(probe);
    if (parent === probe || !isInside(worktree, parent)) throw refuse(candidate, "outside the worktree");
    probe = parent;
  }
}

/** Options of {@link resolveContext}. */
export interface ResolveContextInput {
  /** Real path of the worktree root. */
  readonly worktree: string;
  readonly requirements: ContextRequirementsInput;
  readonly countTokens: TokenCounter;
  /** Tokens to keep free for the prompt (default 0). */
  readonly reservedTokens?: number;
}

/**
 * Resolves `required_files` (editable) and `optional_files` (read-only) inside the worktree (AIDER-INT-002):
 * `exclude_patterns` (picomatch, dotfiles included) remove files from both; required files over
 * `max_context_tokens` → `AIDER_CONTEXT_OVERFLOW` (before anything runs); optional files are added in the order the
 * task lists them, each one that still fits (one that does not is skipped, later smaller ones may still fit).
 * Any refused path refuses the whole task (`AIDER_PATH_OUTSIDE_WORKTREE`).
 */
export async function resolveContext(input: ResolveContextInput): Promise<ResolvedContext> {
  const { worktree, requirements, countTokens } = input;
  const isExcluded =
    requirements.exclude_patterns.length > 0
      ? picomatch([...requirements.exclude_patterns], { dot: true })
      : () => false;
  const required = await Promise.all(
    requirements.required_files.map((p) => resolveWorktreePath(worktree, p)),
  );
  const optional = await Promise.all(
    requirements.optional_files.map((p) => resolveWorktreePath(worktree, p)),
  );

  const seen = new Set<string>();
  const skipped: SkippedFile[] = [];
  const tokensOf = async (file: WorktreePath) =>
    file.exists ? countTokens(await readFile(file.abs, "utf8")) : 0;

  const editable: ContextFile[] = [];
  for (const file of required) {
    if (seen.has(file.rel)) continue;
    seen.add(file.rel);
    if (isExcluded(file.rel)) {
      skipped.push({ path: file.rel, reason: "excluded" });
      continue;
    }
    editable.push({ path: file.rel, tokens: await tokensOf(file), exists: file.exists });
  }
  const requiredTokens = editable.reduce((sum, f) => sum + f.tokens, 0);
  const max = requirements.max_context_tokens;
  if (requiredTokens > max) {
    throw new WeftError(
      "AIDER_CONTEXT_OVERFLOW",
      `the required files hold ${requiredTokens} tokens, over max_context_tokens ${max}`,
      {
        hint: "Split the task, list fewer required_files, or raise context_requirements.max_context_tokens.",
        details: { required_tokens: requiredTokens, max_context_tokens: max, files: editable },
      },
    );
  }

  const reservedTokens = Math.max(0, input.reservedTokens ?? 0);
  let room = Math.max(0, max - requiredTokens - reservedTokens);
  const readOnly: ContextFile[] = [];
  for (const file of optional) {
    if (seen.has(file.rel)) {
      skipped.push({ path: file.rel, reason: "duplicate" });
      continue;
    }
    seen.add(file.rel);
    if (isExcluded(file.rel)) skipped.push({ path: file.rel, reason: "excluded" });
    else if (!file.exists) skipped.push({ path: file.rel, reason: "missing" });
    else {
      const tokens = await tokensOf(file);
      if (tokens <= room) {
        readOnly.push({ path: file.rel, tokens, exists: true });
        room -= tokens;
      } else skipped.push({ path: file.rel, reason: "over_budget", tokens });
    }
  }
  const totalTokens = requiredTokens + readOnly.reduce((sum, f) => sum + f.tokens, 0);
  return { editable, readOnly, skipped, requiredTokens, totalTokens, maxContextTokens: max, reservedTokens };
}
