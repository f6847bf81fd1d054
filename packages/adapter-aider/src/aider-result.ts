/**
 * Git facts of an attempt and the AIDER-INT-003 result contract built from them. `files_modified`,
 * `diff_summary` and `commit_message` come from git, never from Aider's text (SPEC §10, AIDER.md "Git").
 */
import { appendFile, mkdir, readFile } from "node:fs/promises";
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
  /** Uncommitted entries found (empty = clean; weft refuses to run Aider on a dirty tree). */
  readonly dirty: readonly string[];
}

/** Records `PRE=HEAD` and checks that the tree is clean (AIDER.md "Recipe: require a clean tree"). */
export async function recordPre(git: Git): Promise<PreState> {
  const pre = (await git(["rev-parse", "--verify", "HEAD^{commit}"])).trim();
  const dirty = (await readWorktreeStatus(git)).map((e) => `${e.code} ${e.path}`);
  return { pre, dirty };
}

/** What changed since PRE. */
export interface GitChanges {
  readonly head: string;
  /** Every changed path (committed since PRE, staged, unstaged or untracked), sorted; `.aider*` left out. */
  readonly files: readonly string[];
  /** Untracked files that did not exist at PRE (what a revert must remove). */
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
export async function collectGitChanges(git: Git, pre: string): Promise<GitChanges> {
  const head = (await git(["rev-parse", "--verify", "HEAD^{commit}"])).trim();
  const files = new Set<string>();
  const nameStatus = (await git(["diff", "--name-status", "-z", "--no-renames", pre, "HEAD"])).split("\0");
  for (let i = 0; i + 1 < nameStatus.length; i += 2) files.add(nameStatus[i + 1]!);
  const status = await readWorktreeStatus(git);
  const untracked: string[] = [];
  for (const entry of status) {
    files.add(entry.path);
    if (entry.origPath !== undefined) files.add(entry.origPath);
    if (entry.code === "??") untracked.push(entry.path);
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
