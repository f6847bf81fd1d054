import type { AttemptResult } from "./attempt-result.js";
import type { TaskDefinition } from "./task-definition.js";
import type { WeftConfig } from "./weft-config.js";

/** What a runner gets for one attempt (DESIGN §4). */
export interface TaskRunContext {
  /** The worktree (or the repo itself with isolation `none`). */
  readonly worktree: string;
  /** Where the process runs: `worktree` joined with `execution.working_directory`. */
  readonly cwd: string;
  /** 1-based attempt number. */
  readonly attempt: number;
  /** Aborted on timeout, cancellation or shutdown; the runner must kill its process group. */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly killGraceMs: number;
  /** Extra environment for the attempt (`WEFT_TASK_ID`, `WEFT_WORKSTREAM_ID`, `WEFT_ATTEMPT`, `WEFT_WORKTREE`). */
  readonly env: Readonly<Record<string, string>>;
  /** Appends output to `.state/logs/{task_id}.log`. */
  readonly log: (chunk: string) => void;
  /**
   * The file `log` appends to, when output may go there directly (no live view listening): a runner that spawns
   * through another process can hand it the file instead of streaming output back through `log`.
   */
  readonly logFile?: string;
  readonly config: WeftConfig;
  /** Called with the pid of the spawned process group leader (recorded so recovery can kill orphans). */
  readonly onSpawn?: (pid: number) => void;
  /** PIPELINE: set when this attempt is an AI fix for a failed post-execution gate. */
  readonly fix?: { readonly gate: string; readonly output: string; readonly fixAttempt: number };
  readonly now: () => Date;
}

/** A runner executes one attempt of a task and classifies the outcome (not just an exit code). */
export interface TaskRunner {
  run(task: TaskDefinition, ctx: TaskRunContext): Promise<AttemptResult>;
  /**
   * PIPELINE "repeated identical failures stop early": given one gate's failing outputs after this runner's
   * attempts (oldest first, latest last, at least two), true when another fix attempt would be pointless. Without
   * it the engine compares the last two outputs byte for byte.
   */
  shouldStopFixing?(failingOutputs: readonly string[]): boolean;
}
