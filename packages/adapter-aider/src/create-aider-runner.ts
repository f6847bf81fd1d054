/**
 * The Aider task runner (SPEC §10, AIDER-INT-001..003): one attempt = check the worktree → resolve and pack the
 * context → record PRE → run Aider bounded → read git, output and analytics → classify → revert on failure →
 * the AIDER-INT-003 result. PIPELINE fix attempts (ctx.fix) get a prompt that carries the failing gate output.
 */
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  type AttemptErrorType,
  type AttemptResult,
  isWeftError,
  type Logger,
  silentLogger,
  type TaskDefinition,
  type TaskRunContext,
  type TaskRunner,
} from "@weft/core-schema";
import { buildAiderArgs, buildAiderignore, buildMessageText, checkExtraArgs } from "./aider-args.js";
import {
  type AttemptUsage,
  buildAttemptResult,
  collectGitChanges,
  ensureAiderFilesExcluded,
  type GitChanges,
  recordPre,
} from "./aider-result.js";
import { buildAiderEnv, DEFAULT_GIT_IDENTITY, type GitIdentity } from "./build-aider-env.js";
import { buildFixPrompt, shouldStopFixing } from "./build-fix-prompt.js";
import { findRepoAiderConfig } from "./check-repo-config.js";
import { classifyOutput } from "./classify-output.js";
import { loadTokenCounter, type TokenEncoding } from "./count-tokens.js";
import { createGit } from "./git.js";
import { parseAiderOutput } from "./parse-aider-output.js";
import { readUsage } from "./read-usage.js";
import { type ResolvedContext, resolveContext } from "./resolve-context.js";
import { revertWorktree } from "./revert-worktree.js";
import { spawnAider } from "./spawn-aider.js";

/** Options of {@link createAiderRunner}. */
export interface AiderRunnerOptions {
  /**
   * The orchestrator's environment: the only source of PATH, the configured API keys and the allowlisted
   * variables (the composition root passes `process.env`). Aider never inherits anything else.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger | undefined;
  /** Tokenizer for context budgets (default `o200k_base`). */
  readonly encoding?: TokenEncoding | undefined;
  /** Identity of the commits Aider makes (default `weft <weft@localhost>`; Aider adds its own attribution). */
  readonly gitIdentity?: GitIdentity | undefined;
  /**
   * Directory for an attempt's files (message, allowlist, dedicated HOME, chat history, analytics log), kept after
   * the attempt. Default: a temporary directory removed when the attempt ends.
   */
  readonly artifactsDir?: ((task: TaskDefinition, ctx: TaskRunContext) => string) | undefined;
  /** Base of the temporary directories (default `os.tmpdir()`). */
  readonly tmpDir?: string | undefined;
  /** Most tokens of gate output a PIPELINE fix prompt carries (default 2000; also bounded by the task's budget). */
  readonly fixOutputTokens?: number | undefined;
}

/** Per-task settings a task may carry in a top-level `aider` object (overrides weft.config.json's `aider`). */
interface TaskAiderOverride {
  readonly model?: string;
  readonly extra_args?: readonly string[];
}

function readTaskOverride(task: TaskDefinition): { override: TaskAiderOverride; problems: string[] } {
  const raw = (task as Record<string, unknown>).aider;
  if (raw === undefined) return { override: {}, problems: [] };
  const problems: string[] = [];
  if (typeof raw !== "object" || raw === null)
    return { override: {}, problems: ["task field 'aider' must be an object"] };
  const { model, extra_args: extraArgs } = raw as Record<string, unknown>;
  if (model !== undefined && typeof model !== "string") problems.push("aider.model must be a string");
  if (
    extraArgs !== undefined &&
    !(Array.isArray(extraArgs) && extraArgs.every((a) => typeof a === "string"))
  ) {
    problems.push("aider.extra_args must be an array of strings");
  }
  const override: { model?: string; extra_args?: readonly string[] } = {};
  if (typeof model === "string") override.model = model;
  if (Array.isArray(extraArgs)) override.extra_args = extraArgs as string[];
  return { override, problems };
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + path.sep);
}

const NO_USAGE: AttemptUsage = { tokensUsed: 0, costUsd: undefined, source: "none", calls: 0 };

function describeContext(context: ResolvedContext) {
  return {
    editable: context.editable,
    read_only: context.readOnly,
    skipped: context.skipped,
    required_tokens: context.requiredTokens,
    total_tokens: context.totalTokens,
    max_context_tokens: context.maxContextTokens,
  };
}

/**
 * Creates the `TaskRunner` for `aider` tasks. The composition root wires it for type `aider`; the engine calls
 * `run(task, ctx)` once per attempt, and for a PIPELINE fix attempt with `ctx.fix = {gate, output, fixAttempt}`.
 * Expected failures come back as `status: "failure"` results (never thrown); the worktree is left at PRE after any
 * failure (reverted when Aider changed something) and keeps Aider's commits after a success.
 */
export function createAiderRunner(options: AiderRunnerOptions): TaskRunner {
  const logger = options.logger ?? silentLogger;
  const identity = options.gitIdentity ?? DEFAULT_GIT_IDENTITY;

  async function run(task: TaskDefinition, ctx: TaskRunContext): Promise<AttemptResult> {
    const started = ctx.now().getTime();
    const seconds = () => (ctx.now().getTime() - started) / 1000;
    const metadata: Record<string, unknown> = { attempt: ctx.attempt, adapter: "aider" };
    if (ctx.fix) metadata.fix = { gate: ctx.fix.gate, fix_attempt: ctx.fix.fixAttempt };
    const early = (type: AttemptErrorType, message: string, extra: Record<string, unknown> = {}) => {
      const result = buildAttemptResult({
        classification: { outcome: type, message, requestedFiles: [] },
        changes: null,
        usage: NO_USAGE,
        durationSeconds: seconds(),
        metadata: { ...metadata, ...extra },
      });
      ctx.log(`weft: aider attempt ${ctx.attempt}: ${type}: ${message}\n`);
      logger.warn(
        { taskId: task.task_id, attempt: ctx.attempt, errorType: type },
        "aider attempt failed early",
      );
      return result;
    };

    // 1. Settings: weft.config.json's `aider`, overridden per task.
    const config = ctx.config.aider;
    const { override, problems } = readTaskOverride(task);
    const model = override.model ?? config.model;
    const extraArgs = [...config.extra_args, ...(override.extra_args ?? [])];
    problems.push(...checkExtraArgs(extraArgs).map((p) => `aider.extra_args: ${p}`));
    if (problems.length > 0) return early("config_error", problems.join("; "));
    const taskPrompt = task.execution.prompt ?? task.description;
    if (taskPrompt.trim() === "")
      return early("config_error", "the task has no prompt (execution.prompt or description)");

    // 2. Where Aider runs: the worktree, or working_directory inside it.
    let worktree: string;
    let cwd: string;
    try {
      worktree = await realpath(ctx.worktree);
      cwd = await realpath(ctx.cwd);
    } catch (error) {
      return early("config_error", `worktree or working directory missing: ${(error as Error).message}`);
    }
    if (!isInside(worktree, cwd))
      return early("config_error", `working directory ${ctx.cwd} is outside the worktree`);

    // 3. Repo configuration that would widen Aider's reach.
    if (!config.allow_repo_config) {
      const findings = await findRepoAiderConfig([worktree, cwd]);
      if (findings.length > 0) {
        const list = findings
          .map((f) => (f.keys.length ? `${f.file} (${f.keys.join(", ")})` : f.file))
          .join(", ");
        return early("config_error", `the worktree carries Aider configuration: ${list}`, {
          error_code: "AIDER_REPO_CONFIG_REFUSED",
          hint: "Remove these files from the repository, or set aider.allow_repo_config in weft.config.json.",
        });
      }
    }

    // 4. Context: paths inside the worktree, token budget.
    const countTokens = await loadTokenCounter(options.encoding);
    const fixOutputTokens = options.fixOutputTokens ?? 2000;
    let context: ResolvedContext;
    try {
      context = await resolveContext({
        worktree,
        requirements: task.context_requirements,
        countTokens,
        reservedTokens: ctx.fix ? fixOutputTokens : 0,
      });
    } catch (error) {
      if (isWeftError(error) && error.code === "AIDER_CONTEXT_OVERFLOW") {
        return early("context_overflow", error.message, { error_code: error.code, context: error.details });
      }
      if (isWeftError(error)) return early("config_error", error.message, { error_code: error.code });
      throw error;
    }
    metadata.context = describeContext(context);

    let prompt = taskPrompt;
    if (ctx.fix) {
      const budget = Math.min(
        fixOutputTokens,
        Math.max(256, context.maxContextTokens - context.requiredTokens),
      );
      const fix = buildFixPrompt({
        originalPrompt: taskPrompt,
        gate: ctx.fix.gate,
        output: ctx.fix.output,
        maxOutputTokens: budget,
        countTokens,
        fixAttempt: ctx.fix.fixAttempt,
      });
      prompt = fix.prompt;
      metadata.fix = {
        ...(metadata.fix as object),
        output_tokens: fix.outputTokens,
        omitted_lines: fix.omittedLines,
      };
    }

    // 5. PRE: a clean tree at a known commit.
    const git = createGit(worktree, options.env);
    let pre: string;
    let preexisting: ReadonlyMap<string, string>;
    try {
      await ensureAiderFilesExcluded(git, worktree);
      const state = await recordPre(git, worktree);
      if (state.dirty.length > 0) {
        return early(
          "config_error",
          `the worktree has uncommitted changes: ${state.dirty.slice(0, 10).join(", ")}`,
        );
      }
      pre = state.pre;
      preexisting = state.untracked;
    } catch (error) {
      return early("config_error", `not a usable git worktree: ${(error as Error).message}`);
    }
    metadata.pre_commit = pre;
    if (preexisting.size > 0) metadata.preexisting_untracked = [...preexisting.keys()];

    // 6. The attempt's files, outside the worktree.
    const keep = options.artifactsDir !== undefined;
    const dir = keep
      ? path.resolve(options.artifactsDir!(task, ctx))
      : await mkdtemp(path.join(options.tmpDir ?? os.tmpdir(), "weft-aider-"));
    try {
      return await attempt(dir);
    } catch (error) {
      // A bug or an environment failure after PRE: still a result, and the worktree back at PRE.
      let untracked: readonly string[] = [];
      try {
        untracked = (await collectGitChanges(git, worktree, pre, preexisting)).untracked;
      } catch {}
      const revert = await revertWorktree({ git, worktree, pre, untracked, preexisting });
      return early("process_error", `the attempt failed unexpectedly: ${(error as Error).message ?? error}`, {
        reverted: revert.reverted,
        ...(revert.reverted ? {} : { revert_error: revert.reason }),
      });
    } finally {
      if (!keep) await rm(dir, { recursive: true, force: true }).catch(() => {});
    }

    async function attempt(dir: string): Promise<AttemptResult> {
      const home = path.join(dir, "home");
      await mkdir(home, { recursive: true });
      const files = {
        message: path.join(dir, "message.md"),
        aiderignore: path.join(dir, "aiderignore"),
        analytics: path.join(dir, "analytics.jsonl"),
        chat: path.join(dir, "chat-history.md"),
        input: path.join(dir, "input-history"),
      };
      const header = `weft task ${task.task_id}, attempt ${ctx.attempt}${ctx.fix ? `, fix for ${ctx.fix.gate}` : ""}`;
      await writeFile(files.message, buildMessageText(header, prompt));
      const passedEditable = context.editable.map((f) => f.path);
      const passedReadOnly = context.readOnly.map((f) => f.path);
      await writeFile(files.aiderignore, buildAiderignore([...passedEditable, ...passedReadOnly]));
      await writeFile(files.analytics, "");
      const fromCwd = (rel: string) => path.relative(cwd, path.join(worktree, rel)).split(path.sep).join("/");
      const args = buildAiderArgs({
        messageFile: files.message,
        editableFiles: passedEditable.map(fromCwd),
        readOnlyFiles: passedReadOnly.map(fromCwd),
        aiderignoreFile: files.aiderignore,
        analyticsLogFile: files.analytics,
        chatHistoryFile: files.chat,
        inputHistoryFile: files.input,
        model,
        extraArgs,
      });
      const env = buildAiderEnv({
        parentEnv: options.env,
        allowlist: config.env_allowlist,
        apiKeyNames: config.api_key_env,
        home,
        gitIdentity: identity,
        extra: ctx.env,
      });
      metadata.argv = [config.binary, ...args];
      metadata.env_names = env.names;
      metadata.prompt_tokens = countTokens(prompt);
      if (keep) metadata.artifacts_dir = dir;

      ctx.log(`--- weft: aider attempt ${ctx.attempt} (PRE ${pre.slice(0, 12)}) in ${cwd}\n`);
      logger.info({ taskId: task.task_id, attempt: ctx.attempt, pre }, "aider attempt started");
      const spawned = await spawnAider({
        binary: config.binary,
        args,
        cwd,
        env: env.env,
        timeoutMs: ctx.timeoutMs,
        killGraceMs: ctx.killGraceMs,
        idleTimeoutMs:
          config.idle_timeout_seconds !== undefined ? config.idle_timeout_seconds * 1000 : undefined,
        signal: ctx.signal,
        onOutput: ctx.log,
        onSpawn: ctx.onSpawn,
      });

      const parsed = parseAiderOutput(spawned.output);
      let changes: GitChanges | null = null;
      let gitError: string | null = null;
      try {
        changes = await collectGitChanges(git, worktree, pre, preexisting);
      } catch (error) {
        gitError = (error as Error).message;
      }
      const usage = await readUsage(files.analytics, parsed.tokenLines);
      let classification = classifyOutput({
        stopReason: spawned.stopReason,
        exitCode: spawned.exitCode,
        signal: spawned.signal,
        spawnError: spawned.spawnError,
        output: spawned.output,
        parsed,
        passedEditable,
        passedReadOnly,
        changedFiles: changes?.files ?? [],
      });
      if (gitError !== null && classification.outcome === "success") {
        classification = {
          outcome: "process_error",
          message: `reading git after Aider failed: ${gitError}`,
          requestedFiles: [],
        };
      }
      if (changes) {
        metadata.head_commit = changes.head;
        metadata.commits = changes.commits;
      }
      metadata.exit_signal = spawned.signal;

      // 7. A failed attempt leaves the worktree at PRE.
      const touched = changes === null || changes.head !== pre || changes.files.length > 0;
      if (classification.outcome !== "success" && touched) {
        const revert = await revertWorktree({
          git,
          worktree,
          pre,
          untracked: changes?.untracked ?? [],
          preexisting,
        });
        metadata.reverted = revert.reverted;
        if (!revert.reverted) {
          metadata.revert_error = revert.reason;
          classification = {
            ...classification,
            message: `${classification.message}; the worktree could NOT be reverted to ${pre.slice(0, 12)}: ${revert.reason}`,
          };
        }
      }

      const result = buildAttemptResult({
        classification,
        changes,
        usage,
        durationSeconds: seconds(),
        model: parsed.model ?? model,
        aiderVersion: parsed.version ?? undefined,
        exitCode: spawned.exitCode,
        metadata,
      });
      ctx.log(
        `--- weft: aider attempt ${ctx.attempt}: ${result.status}${result.error ? ` (${result.error.type}: ${result.error.message})` : ""}, ` +
          `${usage.tokensUsed} tokens${usage.costUsd !== undefined ? `, $${usage.costUsd}` : ""}\n`,
      );
      logger.info(
        {
          taskId: task.task_id,
          attempt: ctx.attempt,
          status: result.status,
          errorType: result.error?.type ?? null,
          tokens: usage.tokensUsed,
          costUsd: usage.costUsd ?? null,
        },
        "aider attempt finished",
      );
      return result;
    }
  }

  return { run, shouldStopFixing };
}
