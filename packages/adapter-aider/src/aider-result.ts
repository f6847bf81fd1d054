/**
 * Git facts of an attempt and the AIDER-INT-003 result contract built from them. `files_modified`,
 * `diff_summary` and `commit_message` come from git, never from Aider's text (SPEC §10, AIDER.md "Git").
 */
import { createHash } from "node:crypto";
import { appendFile, lstat, mkdir, readFile, readlink } from "node:fs/promises";
import path from "node:path";
import type { AttemptResult } from "@weft/core-schema";
import type { Classification } from "./classify-output.js";
import type { Git } from "./git.js";

/** Aider's own files (`.aider.chat.history.md`, `.aider.tags.cache.v4/`, …) are never counted as changes. */
export function isAiderFile(repoRelativePath: string): boolean {
  return repoRelativePath.split("/")[0]!.startsWith(".aider");
}

/**
 * Adds `.aider*` to the repository's `info/exclude` (for a worktree: the common git dir's), once, so Aider's
 * files never show as untracked changes.
 */
export async function ensureAiderFilesExcluded(git: Git, worktree: string): Promise<void> {
  const commonDir = path.resolve(worktree, (await git(["rev-parse", "--git-common-dir"])).trim());
  const exclude = path.join(commonDir, "info", "exclude");
  const current = await readFile(exclude, "utf8").catch(() => "");
  if (/^\.aider\*$/m.test(current)) return;
  await mkdir(path.dirname(exclude), { recursive: true });
  const sep = current === "" || current.endsWith("\n") ? "" : "\n";
  await appendFile(exclude, `${sep}# added by weft: Aider's own files\n.aider*\n`);
}

/** One entry of `git status --porcelain -z`. */
interface StatusEntry {
  readonly code: string;
  readonly path: string;
  readonly origPath?: string;
}

function parseStatusZ(text: string): StatusEntry[] {
  const parts = text.split("\0");
  const entries: StatusEntry[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.length < 4) continue;
    const code = part.slice(0, 2);
    const entry: StatusEntry = { code, path: part.slice(3) };
    if (code.includes("R") || code.includes("C")) entries.push({ ...entry, origPath: parts[++i]! });
    else entries.push(entry);
  }
  return entries;
}

/** `git status --porcelain -z --untracked-files=all`, `.aider*` left out. */
export async function readWorktreeStatus(git: Git): Promise<StatusEntry[]> {
  const entries = parseStatusZ(await git(["status", "--porcelain=v1", "-z", "--untracked-files=all"]));
  return entries.filter((e) => !isAiderFile(e.path));
}

/** The commit an attempt starts from, recorded before Aider runs. */
export interface PreState {
  readonly pre: string;
  /** Uncommitted changes to tracked files (empty = clean; weft refuses to run Aider otherwise). */
  readonly dirty: readonly string[];
  /**
   * Untracked files already there (e.g. a gate's cache left between an edit and its PIPELINE fix), with a content
   * fingerprint: they count as changes only if the attempt changes them, and a revert never deletes them.
   */
  readonly untracked: ReadonlyMap<string, string>;
}

/** Most pre-existing untracked files an attempt accepts (each is fingerprinted before and after). */
export const MAX_PREEXISTING_UNTRACKED = 1000;

/** sha256 of a file's bytes (of the link text for a symlink); "missing" when it is gone. */
export async function fingerprint(worktree: string, rel: string): Promise<string> {
  const abs = path.join(worktree, rel);
  try {
    const info = await lstat(abs);
    const bytes = info.isSymbolicLink() ? `link:${await readlink(abs)}` : await readFile(abs);
    return createHash("sha256").update(bytes).digest("hex");
  } catch {
    return "missing";
  }
}

/**
 * Records `PRE=HEAD` and checks the tree (AIDER.md "Recipe: require a clean tree"): tracked changes make it dirty;
 * untracked files are fingerprinted (too many of them also count as dirty).
 */
export async function recordPre(git: Git, worktree: string): Promise<PreState> {
  const pre = (await git(["rev-parse", "--verify", "HEAD^{commit}"])).trim();
  const status = await readWorktreeStatus(git);
  const dirty = status.filter((e) => e.code !== "??").map((e) => `${e.code} ${e.path}`);
  const untrackedPaths = status.filter((e) => e.code === "??").map((e) => e.path);
  if (untrackedPaths.length > MAX_PREEXISTING_UNTRACKED) {
    dirty.push(`${untrackedPaths.length} untracked files (more than ${MAX_PREEXISTING_UNTRACKED})`);
  }
  const untracked = new Map<string, string>();
  if (dirty.length === 0) {
    for (const rel of untrackedPaths) untracked.set(rel, await fingerprint(worktree, rel));
  }
  return { pre, dirty, untracked };
}

/** What changed since PRE. */
export interface GitChanges {
  readonly head: string;
  /** Every changed path (committed since PRE, staged, unstaged or untracked), sorted; `.aider*` left out. */
  readonly files: readonly string[];
  /** Untracked files that were not there at PRE (what a revert must remove). */
  readonly untracked: readonly string[];
  readonly commits: readonly { readonly hash: string; readonly subject: string }[];
  /** Subjects of the commits since PRE, oldest first, one per line. */
  readonly commitMessage: string;
  /** `git diff --shortstat PRE` (plus the number of untracked files). */
  readonly diffSummary: string;
}

/**
 * Computes the changes since `pre`: `git diff --name-status PRE HEAD`, `git status --porcelain`,
 * `git log PRE..HEAD`, `git diff --shortstat PRE`.
 */
export async function collectGitChanges(
  git: Git,
  worktree: string,
  pre: string,
  baseline: ReadonlyMap<string, string> = new Map(),
): Promise<GitChanges> {
  const head = (await git(["rev-parse", "--verify", "HEAD^{commit}"])).trim();
  const files = new Set<string>();
  const nameStatus = (await git(["diff", "--name-status", "-z", "--no-renames", pre, "HEAD"])).split("\0");
  for (let i = 0; i + 1 < nameStatus.length; i += 2) files.add(nameStatus[i + 1]!);
  const status = await readWorktreeStatus(git);
  const untracked: string[] = [];
  for (const entry of status) {
    if (entry.code === "??" && baseline.has(entry.path)) {
      // there before the attempt: a change only if its content changed; never the revert's to delete
      if ((await fingerprint(worktree, entry.path)) !== baseline.get(entry.path)) files.add(entry.path);
      continue;
    }
    files.add(entry.path);
    if (entry.origPath !== undefined) files.add(entry.origPath);
    if (entry.code === "??") untracked.push(entry.path);
  }
  for (const rel of baseline.keys()) {
    if (!status.some((e) => e.path === rel)) files.add(rel); // deleted (or committed) by the attempt
  }
  const log = await git(["log", "--reverse", "--format=%H%x1f%s%x1e", `${pre}..HEAD`]);
  const commits = log
    .split("\x1e")
    .map((r) => r.trim())
    .filter((r) => r !== "")
    .map((r) => {
      const [hash, subject] = r.split("\x1f");
      return { hash: hash!, subject: subject ?? "" };
    });
  let diffSummary = (await git(["diff", "--shortstat", pre])).trim();
  if (untracked.length > 0) {
    diffSummary = `${diffSummary}${diffSummary ? ", " : ""}${untracked.length} untracked file${untracked.length > 1 ? "s" : ""}`;
  }
  return {
    head,
    files: [...files].filter((f) => !isAiderFile(f)).sort(),
    untracked: untracked.sort(),
    commits,
    commitMessage: commits.map((c) => c.subject).join("\n"),
    diffSummary,
  };
}

/** Token and cost usage of an attempt. */
export interface AttemptUsage {
  readonly tokensUsed: number;
  readonly costUsd: number | undefined;
  /** Where the numbers came from. */
  readonly source: "analytics_log" | "tokens_lines" | "none";
  readonly calls: number;
}

/** Inputs of {@link buildAttemptResult}. */
export interface AttemptResultInput {
  readonly classification: Classification;
  readonly changes: GitChanges | null;
  readonly usage: AttemptUsage;
  readonly durationSeconds: number;
  readonly model?: string | undefined;
  readonly aiderVersion?: string | undefined;
  readonly exitCode?: number | null | undefined;
  /** Everything else recorded (context, pre, commits, reverted…). Never secrets. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * Builds the AIDER-INT-003 contract: `{status, files_modified, diff_summary, validation_status: "pending",
 * commit_message, error, metadata: {tokens_used, cost_usd?, duration_seconds, model?, aider_version?, …}}`.
 * On failure the git facts still describe what Aider did (the worktree itself may have been reverted).
 */
export function buildAttemptResult(input: AttemptResultInput): AttemptResult {
  const { classification, changes, usage } = input;
  const success = classification.outcome === "success";
  const metadata: AttemptResult["metadata"] = {
    ...input.metadata,
    tokens_used: usage.tokensUsed,
    duration_seconds: Math.round(input.durationSeconds * 1000) / 1000,
    usage_source: usage.source,
    model_calls: usage.calls,
  };
  if (usage.costUsd !== undefined) metadata.cost_usd = usage.costUsd;
  if (input.model !== undefined) metadata.model = input.model;
  if (input.aiderVersion !== undefined) metadata.aider_version = input.aiderVersion;
  if (input.exitCode !== undefined) metadata.exit_code = input.exitCode;
  return {
    status: success ? "success" : "failure",
    files_modified: [...(changes?.files ?? [])],
    diff_summary: changes?.diffSummary ?? "",
    validation_status: "pending",
    commit_message: changes?.commitMessage ?? "",
    error: success
      ? null
      : {
          type: classification.outcome as Exclude<Classification["outcome"], "success">,
          message: classification.message,
          ...(classification.requestedFiles.length > 0
            ? { requested_files: [...classification.requestedFiles] }
            : {}),
        },
    metadata,
  };
}
