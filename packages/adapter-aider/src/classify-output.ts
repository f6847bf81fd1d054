/**
 * Classifies one Aider attempt — AIDER.md "Classifying an attempt (first match wins)", AIDER-INT-003. Pure.
 * Never by exit code alone: Aider exits 0 after API errors, failed edits and exceeded context windows.
 */
import type { AttemptErrorType } from "@weft/core-schema";
import { FILE_PROMPTS, type ParsedAiderOutput } from "./parse-aider-output.js";
import type { StopReason } from "./spawn-aider.js";

/** Everything the classification looks at. Paths are repo-relative with `/` separators. */
export interface ClassifyInput {
  readonly stopReason: StopReason | null;
  readonly exitCode: number | null;
  /** The signal that ended the process when it was not weft (e.g. the OOM killer's SIGKILL). */
  readonly signal?: string | null | undefined;
  readonly spawnError: string | null;
  readonly output: string;
  readonly parsed: ParsedAiderOutput;
  readonly passedEditable: readonly string[];
  readonly passedReadOnly: readonly string[];
  /** Files changed since PRE (committed or not), from git, `.aider*` already left out. */
  readonly changedFiles: readonly string[];
}

/** The outcome: `success` or an AIDER-INT-003 error type, a one-line message, and the paths Aider asked for. */
export interface Classification {
  readonly outcome: "success" | AttemptErrorType;
  readonly message: string;
  readonly requestedFiles: readonly string[];
}

// Aider's own lines (tool_error / tool_output), anchored at a line start so a model reply that merely talks about
// rate limits does not count.
const QUOTA =
  /insufficient_quota|exceeded your current quota|insufficient credits|credit balance is too low|add more credits|billing/i;
const RATE_LIMIT =
  /^(?:litellm\.RateLimitError\b|litellm\.RouterRateLimitError\b|The API provider has rate limited you\b).*$/m;
const AUTH =
  /^(?:litellm\.AuthenticationError\b|litellm\.PermissionDeniedError\b|The API provider is not able to authenticate you\b).*$/m;
const API_ERROR =
  /^(?:litellm\.(?!ContextWindowExceededError)\w*(?:Error|Exception|Timeout)\b|The API provider's servers are down or overloaded\b|The API provider timed out\b|The API provider has refused the request\b|The API provider is not able to connect\b).*$/m;
const CONTEXT_WINDOW =
  /^(?:Your estimated chat context of [\d,]+ tokens exceeds the [\d,]+ token limit\b|Model .+ has hit a token limit!|litellm\.ContextWindowExceededError\b).*$/m;
const EDIT_FORMAT =
  /^(?:The LLM did not conform to the edit format\.|## SearchReplaceNoExactMatch\b|## UnifiedDiffNoMatch\b|## UnifiedDiffNotUnique\b|Only \d+ reflections allowed, stopping\.|# \d+ SEARCH\/REPLACE blocks? failed to match!).*$/m;
/** A reply asking for files or saying it lacks context (checked only when nothing changed). */
const ASKS_FOR_FILES =
  /\b(?:please\s+)?add\b[^\n]{0,200}?\bto the chat\b|\b(?:I|we) (?:would )?need (?:to see|you to (?:add|share))\b|\b(?:lack|don't have|do not have) (?:enough |the )?(?:context|access to)\b|\bcan you (?:add|share)\b[^\n]{0,120}\bfiles?\b/i;
const PATHISH = /`([^`\s]+)`|((?:[\w.-]+\/)*[\w-][\w.-]*\.[A-Za-z][\w]{0,9})\b/g;

function firstLine(pattern: RegExp, text: string): string {
  return (pattern.exec(text)?.[0] ?? "").trim().slice(0, 300);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && [...new Set(b)].every((x) => sa.has(x));
}

function addPaths(line: string, found: Set<string>): void {
  for (const m of line.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, " ").matchAll(PATHISH)) {
    const p = (m[1] ?? m[2] ?? "").replace(/^\.\//, "");
    if (p !== "" && /[./]/.test(p)) found.add(p);
  }
}

/**
 * Paths the reply asks for: named on a line that asks for files (backticked, or looking like `dir/name.ext`), and
 * in the list that follows such a line ("Please add these files to the chat:" then `- path` items).
 */
export function findRequestedPaths(output: string): string[] {
  const found = new Set<string>();
  const lines = output.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^(?:Added |Applied edit to |Commit |Tokens: )/.test(line) || !ASKS_FOR_FILES.test(line)) continue;
    addPaths(line, found);
    for (let j = i + 1; j < lines.length; j++) {
      const next = lines[j]!;
      if (next.trim() === "") continue;
      if (!/^\s*(?:[-*+•]|\d+[.)])\s+\S/.test(next)) break;
      addPaths(next, found);
      i = j;
    }
  }
  return [...found];
}

/**
 * Classifies an attempt, first match wins (AIDER.md):
 * timeout (killed by weft) → `timeout`; cancelled → `cancelled`; exit ≠ 0 (or no start) → `process_error`;
 * announced files ≠ passed files, or `Git repo: none` → `config_error`; changes outside the editable files →
 * `boundary_violation`; an add-file / allow-edit / create-file prompt or `Skipping edits to` →
 * `insufficient_context`; no changes and the reply asks for files → `insufficient_context`; rate limit →
 * `rate_limit` (quota/credit exhaustion counts as `auth_error`: waiting does not fix it); auth/credits →
 * `auth_error`; other API error → `api_error`; token limit → `context_window_exceeded`; edit-format failure with no
 * changes → `edit_format_error`; no changes → `no_changes`; otherwise `success`.
 */
export function classifyOutput(input: ClassifyInput): Classification {
  const { parsed, output } = input;
  const result = (
    outcome: Classification["outcome"],
    message: string,
    requestedFiles: readonly string[] = [],
  ) => ({
    outcome,
    message,
    requestedFiles,
  });

  if (input.stopReason === "timeout")
    return result("timeout", "Aider did not finish within the task's timeout");
  if (input.stopReason === "idle_timeout")
    return result("timeout", "Aider printed nothing for the idle timeout");
  if (input.stopReason === "cancelled") return result("cancelled", "the attempt was cancelled");
  if (input.spawnError !== null) return result("process_error", `Aider could not start: ${input.spawnError}`);
  if (input.exitCode !== 0) {
    const lastLines = output.trimEnd().split(/\r?\n/).slice(-3).join(" | ").slice(0, 300);
    const how =
      input.exitCode !== null
        ? `exited with code ${input.exitCode}`
        : `was killed by ${input.signal ?? "a signal"}`;
    return result("process_error", `Aider ${how}: ${lastLines}`);
  }
  if (parsed.gitRepoNone)
    return result("config_error", "Aider did not find the git repository (Git repo: none)");
  if (
    !sameSet(parsed.announcedEditable, input.passedEditable) ||
    !sameSet(parsed.announcedReadOnly, input.passedReadOnly)
  ) {
    return result(
      "config_error",
      `Aider announced other files than weft passed (editable: ${parsed.announcedEditable.join(", ") || "none"}; ` +
        `read-only: ${parsed.announcedReadOnly.join(", ") || "none"})`,
    );
  }

  const allowed = new Set(input.passedEditable);
  const outside = input.changedFiles.filter((f) => !allowed.has(f));
  if (outside.length > 0)
    return result("boundary_violation", `Aider changed files it was not given: ${outside.join(", ")}`);

  const filePrompts = parsed.prompts.filter((p) => FILE_PROMPTS.includes(p.question));
  if (filePrompts.length > 0 || parsed.skippedEdits.length > 0) {
    const requested = [
      ...new Set([
        ...filePrompts.map((p) => p.subject).filter((s): s is string => s !== null),
        ...parsed.skippedEdits,
      ]),
    ];
    return result(
      "insufficient_context",
      `Aider wanted files it was not given: ${requested.join(", ")}`,
      requested,
    );
  }
  const changed = input.changedFiles.length > 0;
  if (!changed) {
    const requested = findRequestedPaths(output);
    if (requested.length > 0 || ASKS_FOR_FILES.test(stripAiderLines(output))) {
      return result(
        "insufficient_context",
        `Aider asked for more context${requested.length > 0 ? `: ${requested.join(", ")}` : ""}`,
        requested,
      );
    }
  }

  const quota = QUOTA.test(firstLine(RATE_LIMIT, output)) || QUOTA.test(firstLine(AUTH, output));
  if (RATE_LIMIT.test(output) && !quota) return result("rate_limit", firstLine(RATE_LIMIT, output));
  if (AUTH.test(output) || quota)
    return result("auth_error", firstLine(AUTH, output) || firstLine(RATE_LIMIT, output));
  if (API_ERROR.test(output)) return result("api_error", firstLine(API_ERROR, output));
  if (CONTEXT_WINDOW.test(output))
    return result("context_window_exceeded", firstLine(CONTEXT_WINDOW, output));
  if (!changed && EDIT_FORMAT.test(output))
    return result("edit_format_error", firstLine(EDIT_FORMAT, output));
  if (!changed) return result("no_changes", "Aider made no changes");
  return result("success", `Aider changed ${input.changedFiles.join(", ")}`);
}

/** Drops the lines Aider itself prints (announcements, prompts, usage) so only the model's reply is searched. */
function stripAiderLines(output: string): string {
  return output
    .split(/\r?\n/)
    .filter(
      (l) =>
        !/^(?:Added .* to the chat|Aider v|Main model:|Weak model:|Git repo:|Repo-map:|Tokens: )/.test(l),
    )
    .filter((l) => !FILE_PROMPTS.some((q) => l.includes(q)))
    .join("\n");
}
