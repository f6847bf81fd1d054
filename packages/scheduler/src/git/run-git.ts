import { setTimeout as sleep } from "node:timers/promises";
import { WeftError } from "@weft/core-schema";
import { loadExeca } from "./load-execa.js";

/** What one git call returned. `stdout` keeps leading whitespace (porcelain formats need it). */
export interface GitResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Options of one git call. */
export interface RunGitOptions {
  readonly signal?: AbortSignal;
  /** Written to git's stdin. */
  readonly input?: string;
  /** Exit codes that are answers, not failures (e.g. `[0, 1]` for `merge-base --is-ancestor`). Default `[0]`. */
  readonly okExitCodes?: readonly number[];
  /** Extra environment for this call (merged over the inherited one). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Retry (up to 6 times, 25 ms → 800 ms apart) when git failed only because another git process held a lock
   * (`index.lock`, a ref lock). Safe for commands that take their lock before changing anything (add, commit).
   */
  readonly retryOnLock?: boolean;
}

/** True when git's error says another git process holds a lock (pure). */
export function isLockContention(stderr: string): boolean {
  return /\.lock'?: File exists|cannot lock ref|Unable to create '[^']*\.lock'|index\.lock/i.test(stderr);
}

/**
 * Runs `git -C <cwd> <args…>` (no shell). Every git call of the git layer goes through one of these, so tests can
 * count or observe calls by wrapping it.
 */
export type RunGit = (cwd: string, args: readonly string[], options?: RunGitOptions) => Promise<GitResult>;

/**
 * Variables that would redirect `git -C` to another repository or index (set when weft runs inside a git hook);
 * unset for every call so `-C <dir>` is the only thing that decides where git works.
 */
const REDIRECTING_GIT_VARS = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_COMMON_DIR",
  "GIT_NAMESPACE",
  "GIT_CEILING_DIRECTORIES",
  "GIT_PREFIX",
] as const;

/** Options of {@link createRunGit}. */
export interface CreateRunGitOptions {
  /** The git executable. Default `git` (resolved on PATH). */
  readonly gitBinary?: string;
  /** Extra environment for every call (e.g. `GIT_CONFIG_GLOBAL` in tests). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Run the repository's git hooks. Default false: weft's own git operations (worktree add, task commits, the
   * fast-forward of a checked-out target) run no hooks (`-c core.hooksPath=/dev/null`); setup belongs in bootstrap.
   */
  readonly runHooks?: boolean;
}

/**
 * Creates the one function through which weft calls git: execa 9, `git -C <dir> …`, no shell, no hooks,
 * `GIT_TERMINAL_PROMPT=0` (never wait for credentials), `LC_ALL=C` (stable messages), hooks' redirecting
 * variables unset. A non-zero exit outside `okExitCodes`, or a spawn failure, becomes
 * `WeftError("SCHED_GIT_FAILED")` carrying the command, exit code and stderr.
 */
export function createRunGit(options: CreateRunGitOptions = {}): RunGit {
  const once = createRunGitOnce(options);
  return async (cwd, args, callOptions = {}) => {
    if (callOptions.retryOnLock !== true) return once(cwd, args, callOptions);
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await once(cwd, args, callOptions);
        if (attempt < 6 && result.exitCode !== 0 && isLockContention(result.stderr)) {
          await sleep(25 * 2 ** attempt);
          continue;
        }
        return result;
      } catch (error) {
        const stderr = String((error as { details?: { stderr?: unknown } }).details?.stderr ?? "");
        if (attempt >= 6 || !isLockContention(stderr) || callOptions.signal?.aborted) throw error;
        await sleep(25 * 2 ** attempt);
      }
    }
  };
}

function createRunGitOnce(options: CreateRunGitOptions): RunGit {
  const gitBinary = options.gitBinary ?? "git";
  return async (cwd, args, callOptions = {}) => {
    const env: Record<string, string | undefined> = { GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" };
    for (const name of REDIRECTING_GIT_VARS) env[name] = undefined;
    Object.assign(env, options.env);
    Object.assign(env, callOptions.env);
    const okExitCodes = callOptions.okExitCodes ?? [0];
    const argv =
      options.runHooks === true
        ? ["-C", cwd, ...args]
        : ["-C", cwd, "-c", "core.hooksPath=/dev/null", ...args];
    let result: {
      stdout: string;
      stderr: string;
      exitCode?: number | undefined;
      failed: boolean;
      isCanceled: boolean;
    };
    try {
      const { execa } = await loadExeca();
      const done = await execa(gitBinary, argv, {
        env,
        reject: false,
        stripFinalNewline: false,
        ...(callOptions.input === undefined ? { stdin: "ignore" as const } : { input: callOptions.input }),
        ...(callOptions.signal === undefined ? {} : { cancelSignal: callOptions.signal }),
      });
      result = {
        stdout: String(done.stdout),
        stderr: String(done.stderr),
        exitCode: done.exitCode,
        failed: done.failed,
        isCanceled: done.isCanceled,
      };
    } catch (cause) {
      throw gitFailed(argv, undefined, String(cause), cause);
    }
    const stdout = trimFinalNewline(result.stdout);
    const stderr = result.stderr.trim();
    if (result.isCanceled) throw gitFailed(argv, result.exitCode, "cancelled", undefined);
    if (result.exitCode === undefined || !okExitCodes.includes(result.exitCode)) {
      throw gitFailed(argv, result.exitCode, stderr || stdout.trim());
    }
    return { stdout, stderr, exitCode: result.exitCode };
  };
}

function trimFinalNewline(text: string): string {
  return text.endsWith("\n") ? text.slice(0, -1) : text;
}

function gitFailed(
  argv: readonly string[],
  exitCode: number | undefined,
  stderr: string,
  cause?: unknown,
): WeftError {
  const command = `git ${argv.join(" ")}`;
  const firstLine = stderr.split("\n").find((line) => line.trim() !== "") ?? "";
  return new WeftError(
    "SCHED_GIT_FAILED",
    `${command} failed${exitCode === undefined ? "" : ` (exit ${exitCode})`}: ${firstLine}`,
    {
      hint: "Run the command yourself in that directory to see the full error; check that git is installed and the repository is not locked by another git process.",
      details: { command: argv, exitCode: exitCode ?? null, stderr: stderr.slice(0, 4000) },
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

/** The default {@link RunGit} (`git` on PATH). */
export const runGit: RunGit = createRunGit();
