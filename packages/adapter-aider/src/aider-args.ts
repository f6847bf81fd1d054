/**
 * Aider's argv, built as an array (never a shell string) — AIDER-INT-001, AIDER.md "Flags that matter".
 * Pure: no I/O.
 */

/**
 * The boundary flags of AIDER.md, always passed. Answer-no mode: no `--yes-always`, no fancy input, stdin fed
 * with `n\n` (see spawn-aider.ts), so every confirmation is declined and stays visible in the output.
 */
export const BOUNDARY_FLAGS: readonly string[] = [
  "--map-tokens=0",
  "--no-suggest-shell-commands",
  "--no-detect-urls",
  "--no-gitignore",
  "--no-check-update",
  "--no-show-release-notes",
  "--no-pretty",
  "--no-stream",
  "--no-fancy-input",
  "--no-auto-lint",
  "--no-auto-test",
  "--no-dirty-commits",
  "--auto-commits",
  "--no-analytics",
];

/**
 * Options a user may add through `aider.extra_args` (config or task): they tune the model, never the boundary.
 * Value is the number of values the option takes. Anything else is refused (`config_error`): flags such as
 * `--yes-always`, `--file`, `--message`, `--load`, `--config`, `--auto-test` or positional files would widen what
 * Aider may touch or run.
 */
export const ALLOWED_EXTRA_OPTIONS: Readonly<Record<string, 0 | 1>> = {
  "--model": 1,
  "--weak-model": 1,
  "--editor-model": 1,
  "--edit-format": 1,
  "--editor-edit-format": 1,
  "--reasoning-effort": 1,
  "--thinking-tokens": 1,
  "--timeout": 1,
  "--max-chat-history-tokens": 1,
  "--cache-keepalive-pings": 1,
  "--encoding": 1,
  "--line-endings": 1,
  "--commit-prompt": 1,
  "--chat-language": 1,
  "--commit-language": 1,
  "--alias": 1,
  "--openai-api-base": 1,
  "--openai-api-type": 1,
  "--openai-api-version": 1,
  "--openai-api-deployment-id": 1,
  "--openai-organization-id": 1,
  "--architect": 0,
  "--auto-accept-architect": 0,
  "--no-auto-accept-architect": 0,
  "--cache-prompts": 0,
  "--no-cache-prompts": 0,
  "--no-auto-commits": 0,
  "--attribute-author": 0,
  "--no-attribute-author": 0,
  "--attribute-committer": 0,
  "--no-attribute-committer": 0,
  "--attribute-commit-message-author": 0,
  "--no-attribute-commit-message-author": 0,
  "--attribute-commit-message-committer": 0,
  "--no-attribute-commit-message-committer": 0,
  "--attribute-co-authored-by": 0,
  "--no-attribute-co-authored-by": 0,
  "--verify-ssl": 0,
  "--no-verify-ssl": 0,
  "--show-model-warnings": 0,
  "--no-show-model-warnings": 0,
  "--check-model-accepts-settings": 0,
  "--no-check-model-accepts-settings": 0,
  "--subtree-only": 0,
  "--verbose": 0,
};

/** Inputs of {@link buildAiderArgs}. Paths are passed as given (relative to Aider's cwd, or absolute for files weft owns). */
export interface AiderArgsInput {
  /** The prompt file (non-empty, first line a header; see buildMessageText). */
  readonly messageFile: string;
  /** Editable files (`--file`), relative to Aider's cwd. */
  readonly editableFiles: readonly string[];
  /** Read-only files (`--read`), relative to Aider's cwd. */
  readonly readOnlyFiles: readonly string[];
  /** The allowlist written by buildAiderignore. */
  readonly aiderignoreFile: string;
  readonly analyticsLogFile: string;
  readonly chatHistoryFile: string;
  readonly inputHistoryFile: string;
  readonly model?: string | undefined;
  /** Already checked by {@link checkExtraArgs}. */
  readonly extraArgs?: readonly string[] | undefined;
}

/**
 * Builds Aider's argv (AIDER-INT-001). Values are attached with `=` (`--file=-x.py` cannot be read as a flag).
 * The message file comes last.
 */
export function buildAiderArgs(input: AiderArgsInput): string[] {
  const args = [
    ...BOUNDARY_FLAGS,
    `--aiderignore=${input.aiderignoreFile}`,
    `--analytics-log=${input.analyticsLogFile}`,
    `--chat-history-file=${input.chatHistoryFile}`,
    `--input-history-file=${input.inputHistoryFile}`,
  ];
  if (input.model !== undefined && input.model !== "") args.push(`--model=${input.model}`);
  args.push(...(input.extraArgs ?? []));
  for (const file of input.editableFiles) args.push(`--file=${file}`);
  for (const file of input.readOnlyFiles) args.push(`--read=${file}`);
  args.push(`--message-file=${input.messageFile}`);
  return args;
}

/**
 * Checks user-supplied extra args against {@link ALLOWED_EXTRA_OPTIONS}; returns the problems (empty = fine).
 * Accepts `--opt value` and `--opt=value`.
 */
export function checkExtraArgs(extraArgs: readonly string[]): string[] {
  const problems: string[] = [];
  for (let i = 0; i < extraArgs.length; i++) {
    const arg = extraArgs[i]!;
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const arity = Object.hasOwn(ALLOWED_EXTRA_OPTIONS, name) ? ALLOWED_EXTRA_OPTIONS[name] : undefined;
    if (arity === undefined) {
      problems.push(`'${arg}' is not an allowed Aider option (it could widen Aider's reach)`);
      continue;
    }
    if (arity === 0 && eq > 0) problems.push(`'${name}' takes no value`);
    if (arity === 1 && eq < 0) {
      const value = extraArgs[i + 1];
      if (value === undefined) problems.push(`'${name}' needs a value`);
      i++;
    }
  }
  return problems;
}

/** Escapes a repo-relative path for a gitignore pattern (pathspec GitWildMatch syntax). */
function escapeGitignore(path: string): string {
  return path.replace(/[\\*?[\]!#]/g, "\\$&").replace(/ $/, "\\ ");
}

/**
 * The `--aiderignore` allowlist (AIDER.md): `*` then `!/<path>` for every file passed, so Aider's view of the repo
 * (file mentions, the repo map) holds only those files. Paths are repo-relative with `/` separators.
 */
export function buildAiderignore(paths: readonly string[]): string {
  const lines = ["# written by weft: Aider sees only the files of this task", "*"];
  for (const p of paths) lines.push(`!/${escapeGitignore(p)}`);
  return `${lines.join("\n")}\n`;
}

/**
 * The message file's text (AIDER.md): a fixed header line first, so the prompt can never start with `/` or `!`
 * (Aider would run it as an in-chat command such as `/run`), then the prompt verbatim.
 */
export function buildMessageText(header: string, prompt: string): string {
  const safeHeader =
    /^[/!]/.test(header) || header.includes("\n") ? `weft: ${header.replace(/\n/g, " ")}` : header;
  return `${safeHeader}\n\n${prompt}\n`;
}
