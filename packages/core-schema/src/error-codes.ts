/**
 * Permanent error codes (STYLE.md "Errors"). Names never change once released; `docs/errors.md` is generated
 * from this table and a test fails when the two drift. Add new codes as new lines, grouped by package prefix.
 */
export const ERROR_CODES = {
  // core-schema
  SCHEMA_INVALID: "A document does not match its schema.",
  SCHEMA_UNKNOWN_VERSION: "A document carries a schema_version weft does not know.",
  SCHEMA_MIGRATION_UNSUPPORTED: "No migration exists between the requested schema versions.",
  SM_ILLEGAL_TRANSITION:
    "A state change that the state machine does not allow was attempted (a bug in weft).",
  ID_INVALID: "An id does not match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$ (SPEC §1).",
  // loader
  LOADER_READ_FAILED: "A repo file could not be read.",
  LOADER_NOT_A_REPO: "The directory has no tasks/ folder; run `weft init` first.",
  // dag
  DAG_CYCLE: "Task or workstream dependencies form a cycle.",
  DAG_UNKNOWN_DEPENDENCY: "A dependency names a task that does not exist.",
  DAG_CROSS_WORKSTREAM: "A task depends on a task of another workstream (use depends_on).",
  // state-store
  STATE_LOCKED: "Another live orchestrator holds the .state lock.",
  STATE_CORRUPT: "A .state file is corrupt and could not be recovered automatically.",
  STATE_IO: "Reading or writing .state failed.",
  STATE_ARCHIVE_INVALID: "An archived log segment is unreadable (not gzip or not JSONL).",
  // scheduler
  SCHED_NO_CAPABLE_WORKER: "No worker offers the capabilities a task needs.",
  SCHED_UNKNOWN_RULE: "A validation rule names no known gate.",
  SCHED_RESOURCE_UNSATISFIABLE: "A resource request can never be met by the registry.",
  SCHED_GIT_FAILED: "A git operation weft needed failed.",
  SCHED_MERGE_CONFLICT: "Merging a workstream branch conflicted; the target was left untouched.",
  SCHED_MERGE_TARGET_DIRTY:
    "The merge target is checked out in a working tree with uncommitted changes; nothing was merged.",
  SCHED_WORKTREE_UNSAFE:
    "weft refused a destructive git operation (remove, reset, reuse) that could lose work.",
  SCHED_BOOTSTRAP_FAILED: "A workstream bootstrap step (copy or setup command) failed.",
  SCHED_PATH_OUTSIDE_REPO:
    "A path from a definition leads outside the repository or worktree ('..', absolute, symlink).",
  SCHED_TASK_NOT_FOUND: "No task or workstream with that id.",
  // adapter-aider
  AIDER_CONTEXT_OVERFLOW: "The required files exceed max_context_tokens.",
  AIDER_PATH_OUTSIDE_WORKTREE:
    "A task names a path outside its worktree (absolute, '..' or a symlink escape).",
  AIDER_REPO_CONFIG_REFUSED: "The worktree carries Aider configuration that could widen its reach.",
  AIDER_NOT_FOUND: "No aider executable was found.",
  // validators
  VALIDATE_CANNOT_RUN: "A validator could not run (unreadable input, bad arguments).",
  // observability
  OBS_SERVE_TOKEN_REQUIRED:
    "The dashboard was asked to listen on a non-loopback address without a token (or with an empty one).",
  OBS_SERVE_LISTEN_FAILED:
    "The dashboard could not listen on the requested host and port (in use, invalid, not permitted).",
  // cli
  CLI_USAGE: "Bad command-line usage (unknown flag, missing argument).",
  CLI_CONFIG: "weft.config.json is unreadable or invalid.",
  CLI_INTERRUPTED: "The command was interrupted (SIGINT).",
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;
