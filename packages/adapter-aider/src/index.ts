/**
 * @weft/adapter-aider — runs Aider as a weft worker (SPEC §10, AIDER-INT-001..003; AIDER.md).
 *
 * Public API (stability):
 * - createAiderRunner(options) → TaskRunner, experimental since 0.1.0: the runner the composition root wires for
 *   `aider` tasks; `run(task, ctx)` per attempt, `ctx.fix` for PIPELINE fix attempts.
 * - PIPELINE helpers, experimental since 0.1.0: buildFixPrompt, trimToTokenBudget, shouldStopFixing,
 *   normalizeGateOutput.
 * - Context, experimental since 0.1.0: resolveContext, resolveWorktreePath (also usable at plan time by
 *   validators), loadTokenCounter.
 * - Building blocks, experimental since 0.1.0: buildAiderArgs, buildAiderignore, buildMessageText,
 *   checkExtraArgs, BOUNDARY_FLAGS, ALLOWED_EXTRA_OPTIONS, buildAiderEnv, BASE_ENV_ALLOWLIST, parseAiderOutput,
 *   classifyOutput, findRepoAiderConfig, spawnAider, revertWorktree, buildAttemptResult, usageFromAnalytics,
 *   usageFromTokenLines.
 *
 * Integration points: implements `TaskRunner` from @weft/core-schema and returns its `AttemptResult`
 * (AIDER-INT-003); reads `WeftConfig.aider` and `fix_attempts` is the engine's to count. Errors use the
 * `AIDER_*` codes of core-schema's ERROR_CODES.
 * Dependencies: @weft/core-schema, execa 9 (process groups), picomatch (exclude_patterns), js-tiktoken (token
 * counts; BPE ranks ship in the package). Runs the `aider` and `git` executables.
 */
export {
  type AiderArgsInput,
  ALLOWED_EXTRA_OPTIONS,
  BOUNDARY_FLAGS,
  buildAiderArgs,
  buildAiderignore,
  buildMessageText,
  checkExtraArgs,
} from "./aider-args.js";
export {
  type AttemptResultInput,
  type AttemptUsage,
  buildAttemptResult,
  type GitChanges,
  isAiderFile,
} from "./aider-result.js";
export {
  type AiderEnv,
  type AiderEnvInput,
  BASE_ENV_ALLOWLIST,
  buildAiderEnv,
  DEFAULT_GIT_IDENTITY,
  type GitIdentity,
} from "./build-aider-env.js";
export {
  buildFixPrompt,
  type FixPrompt,
  type FixPromptInput,
  normalizeGateOutput,
  shouldStopFixing,
  type TrimmedText,
  trimToTokenBudget,
} from "./build-fix-prompt.js";
export { findRepoAiderConfig, type RepoConfigFinding } from "./check-repo-config.js";
export {
  type Classification,
  type ClassifyInput,
  classifyOutput,
  findRequestedPaths,
} from "./classify-output.js";
export { loadTokenCounter, type TokenCounter, type TokenEncoding } from "./count-tokens.js";
export { type AiderRunnerOptions, createAiderRunner } from "./create-aider-runner.js";
export {
  type AiderPrompt,
  FILE_PROMPTS,
  type ParsedAiderOutput,
  parseAiderOutput,
  parseTokenCount,
  type TokenLine,
} from "./parse-aider-output.js";
export { readUsage, usageFromAnalytics, usageFromTokenLines } from "./read-usage.js";
export {
  type ContextFile,
  type ContextRequirementsInput,
  type ResolveContextInput,
  type ResolvedContext,
  resolveContext,
  resolveWorktreePath,
  type SkippedFile,
  type WorktreePath,
} from "./resolve-context.js";
export { type RevertInput, type RevertOutcome, revertWorktree } from "./revert-worktree.js";
export { type SpawnAiderOptions, type SpawnAiderResult, type StopReason, spawnAider } from "./spawn-aider.js";
