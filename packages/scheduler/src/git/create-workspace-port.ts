import { dirname, join } from "node:path";
import type { WorkspacePort } from "../workspace-port.js";
import type { LogSink } from "./run-bootstrap.js";
import type { WorkspaceManager } from "./workspace-manager.js";

/** Options of {@link createWorkspacePort}. */
export interface WorkspacePortOptions {
  /** Receives bootstrap output per workstream (e.g. appended to the workstream's log). */
  readonly bootstrapLog?: (workstreamId: string) => LogSink;
  /** Clock for `archived_at` (injected; default `Date.now`). */
  readonly now?: () => number;
}

/**
 * Adapts the {@link WorkspaceManager} to the engine's `WorkspacePort`. It remembers each workstream's target
 * (merge target, else base branch, else the branch `prepare` started from) so `remove` can check that the branch's
 * work reached the target before deleting anything.
 */
export function createWorkspacePort(
  manager: WorkspaceManager,
  options: WorkspacePortOptions = {},
): WorkspacePort {
  const now = options.now ?? Date.now;
  const startedFrom = new Map<string, string>();
  const mergeTarget = new Map<string, string>();
  const targetOf = (workstreamId: string): string | undefined =>
    mergeTarget.get(workstreamId) ?? startedFrom.get(workstreamId);

  return {
    async prepare(input) {
      const log = options.bootstrapLog?.(input.workstreamId);
      const prepared = await manager.prepare(
        { workstream_id: input.workstreamId, base_branch: input.baseBranch },
        {
          bootstrap: input.bootstrap,
          ...(input.signal === undefined ? {} : { signal: input.signal }),
          ...(log === undefined ? {} : { log }),
        },
      );
      startedFrom.set(input.workstreamId, prepared.baseBranch);
      return { worktree: prepared.path, branch: prepared.branch, baseCommit: prepared.baseCommit };
    },
    headCommit: (worktree) => manager.headCommit(worktree),
    isClean: (worktree) => manager.isClean(worktree),
    async commitTaskChanges(input) {
      const result = await manager.commitTaskChanges(input.worktree, {
        task_id: input.taskId,
        name: input.taskName,
      });
      return { committed: result.committed, commit: result.commit ?? null };
    },
    async merge(input) {
      const target = input.targetBranch ?? input.baseBranch ?? startedFrom.get(input.workstreamId);
      if (target === undefined) {
        return {
          ok: false,
          conflicts: [],
          message: `no merge target known for workstream ${input.workstreamId}`,
        };
      }
      mergeTarget.set(input.workstreamId, target);
      const result = await manager.merge(input.workstreamId, {
        target,
        strategy: input.strategy,
        path: input.worktree,
      });
      if (result.ok) return { ok: true, commit: result.commit };
      return {
        ok: false,
        conflicts: result.conflicts,
        message: `merging weft/${input.workstreamId} into ${target} conflicts in ${result.conflicts.join(", ") || "(unnamed paths)"}; ${target} was left untouched`,
      };
    },
    async remove(workstreamId) {
      const target = targetOf(workstreamId);
      await manager.remove(workstreamId, { completed: true, ...(target === undefined ? {} : { target }) });
    },
    async preserve(workstreamId) {
      await manager.preserve(workstreamId);
    },
    async resetToCommit(worktree, commit) {
      await manager.resetToCommit(worktree, commit);
    },
    async archiveWorkstreamState(input) {
      const preserved = await manager.preserve(input.workstreamId);
      const state = (input.state ?? {}) as { workstream?: Record<string, unknown> | null; tasks?: unknown[] };
      const record = state.workstream ?? {};
      const conflicts = record.conflicting_files;
      // `.state/archive/workstreams` — the state store's StatePaths has no entry for it yet (see WORKTREES.md).
      const archiveRoot = join(input.stateDir, "archive", "workstreams");
      const file = await manager.archiveWorkstreamState(archiveRoot, {
        workstream_id: input.workstreamId,
        status: typeof record.status === "string" ? record.status : "unknown",
        archived_at: new Date(now()).toISOString(),
        branch: preserved.headCommit === null ? null : preserved.branch,
        worktree_path: preserved.path,
        head_commit: preserved.headCommit,
        base_commit: typeof record.base_commit === "string" ? record.base_commit : null,
        target_branch: targetOf(input.workstreamId) ?? null,
        conflicts: Array.isArray(conflicts)
          ? conflicts.filter((c): c is string => typeof c === "string")
          : [],
        reason: typeof record.last_error === "string" ? record.last_error : null,
        tasks: Array.isArray(state.tasks) ? state.tasks : [],
        state: input.state,
      });
      return dirname(file);
    },
  };
}
