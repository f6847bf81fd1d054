import type { DagIssue } from "./dag-issue.js";
import { invertCsr } from "./internal/csr.js";
import type { PlanTask } from "./plan-task.js";
import type { TaskGraph } from "./task-graph.js";

const EMPTY: readonly string[] = [];

/** The result of {@link buildTaskGraphs}: one graph per workstream (sorted by id) and what was wrong. */
export interface BuiltTaskGraphs {
  readonly graphs: readonly TaskGraph[];
  readonly issues: readonly DagIssue[];
}

/**
 * Builds the task graph of every workstream (TASK-DEF-001, DAG-VIEW-001) from `dependencies` ∪ inverted `blocks`.
 *
 * - A dependency naming no task of its workstream is an error: `cross_workstream_dependency` when a task of that id
 *   exists in another workstream (ordering between workstreams is `depends_on`), else `unknown_dependency`.
 *   The edge is dropped so the rest can still be planned.
 * - One-sided declarations are warnings: a `blocks` entry whose target does not list the task in `dependencies`,
 *   and a dependency on a task that uses `blocks` but does not list this one (tasks that never use `blocks` are
 *   not warned about: declaring only `dependencies` is the normal form).
 * - Self-references are kept as edges, so they come out as one-task cycles.
 * - A task id seen twice in one workstream: `duplicate_task` error; the first definition wins.
 *
 * Pure and linear in tasks + declared edges; nodes keep the input order of each workstream.
 */
export function buildTaskGraphs(tasks: readonly PlanTask[]): BuiltTaskGraphs {
  const issues: DagIssue[] = [];
  const byWs = new Map<string, PlanTask[]>();
  let single = tasks.length > 0;
  for (let i = 1; i < tasks.length && single; i++)
    single = tasks[i]!.workstream_id === tasks[0]!.workstream_id;
  if (single) byWs.set(tasks[0]!.workstream_id, tasks as PlanTask[]);
  else {
    for (const task of tasks) {
      const list = byWs.get(task.workstream_id);
      if (list) list.push(task);
      else byWs.set(task.workstream_id, [task]);
    }
  }
  const wsIds = [...byWs.keys()].sort(compareIds);
  const indexMaps = new Map<string, Map<string, number>>();
  const members = new Map<string, readonly PlanTask[]>();
  for (const ws of wsIds) {
    const all = byWs.get(ws)!;
    const index = new Map<string, number>();
    let kept: PlanTask[] | undefined;
    for (let i = 0; i < all.length; i++) {
      const task = all[i]!;
      const size = index.size;
      const at = kept ? kept.length : i;
      index.set(task.task_id, at);
      if (index.size !== size) {
        kept?.push(task);
        continue;
      }
      // A duplicate id (rare): keep the first definition, copy the list from here on.
      kept ??= all.slice(0, i);
      index.set(
        task.task_id,
        kept.findIndex((t) => t.task_id === task.task_id),
      );
      issues.push({
        kind: "duplicate_task",
        severity: "error",
        code: "SCHEMA_INVALID",
        message: `task ${task.task_id} is defined twice in workstream ${ws}; the first definition is used`,
        hint: "give each task file a unique task_id equal to its file name",
        workstream_id: ws,
        task_id: task.task_id,
      });
    }
    indexMaps.set(ws, index);
    members.set(ws, kept ?? all);
  }
  let owners: Map<string, string[]> | undefined;
  const ownersOf = (taskId: string): readonly string[] => {
    if (!owners) {
      owners = new Map();
      for (const [ws, index] of indexMaps) {
        for (const id of index.keys()) {
          const list = owners.get(id);
          if (list) list.push(ws);
          else owners.set(id, [ws]);
        }
      }
    }
    return owners.get(taskId) ?? EMPTY;
  };
  const graphs: TaskGraph[] = [];
  for (const ws of wsIds) {
    graphs.push(buildOne(ws, members.get(ws)!, indexMaps.get(ws)!, ownersOf, issues));
  }
  return { graphs, issues };
}

function buildOne(
  ws: string,
  tasks: readonly PlanTask[],
  index: ReadonlyMap<string, number>,
  ownersOf: (taskId: string) => readonly string[],
  issues: DagIssue[],
): TaskGraph {
  const n = tasks.length;
  // Inverted `blocks`: for each dependent v, the prerequisites that declared `blocks: [v]` (CSR, usually empty).
  let blockCount = 0;
  const blockInCount = new Int32Array(n + 1);
  for (let u = 0; u < n; u++) {
    const blocks = tasks[u]!.blocks;
    if (!blocks || blocks.length === 0) continue;
    for (const target of blocks) {
      const v = index.get(target);
      if (v === undefined) {
        reportMissing(ws, tasks[u]!.task_id, target, "blocks", ownersOf, issues);
        continue;
      }
      blockInCount[v + 1] = blockInCount[v + 1]! + 1;
      blockCount++;
    }
  }
  let blockFrom: Int32Array | undefined;
  let blockOffsets: Int32Array | undefined;
  if (blockCount > 0) {
    blockOffsets = blockInCount;
    for (let v = 0; v < n; v++) blockOffsets[v + 1] = blockOffsets[v + 1]! + blockOffsets[v]!;
    const cursor = blockOffsets.slice(0, n);
    blockFrom = new Int32Array(blockCount);
    for (let u = 0; u < n; u++) {
      const blocks = tasks[u]!.blocks;
      if (!blocks || blocks.length === 0) continue;
      for (const target of blocks) {
        const v = index.get(target);
        if (v === undefined) continue;
        const at = cursor[v]!;
        cursor[v] = at + 1;
        blockFrom[at] = u;
      }
    }
  }

  let cap = blockCount;
  for (let v = 0; v < n; v++) cap += tasks[v]!.dependencies?.length ?? 0;
  // Prerequisites of each dependent, written straight into CSR form (v ascending).
  const predOffsets = new Int32Array(n + 1);
  const preds = new Int32Array(cap);
  let m = 0;
  // seen[u] === v + 1: u already recorded as a prerequisite of v. declaredBlock[u] === v + 1: u lists v in blocks.
  const seen = new Int32Array(n);
  const declaredBlock = blockFrom ? new Int32Array(n) : undefined;
  for (let v = 0; v < n; v++) {
    const stamp = v + 1;
    const task = tasks[v]!;
    if (blockFrom && declaredBlock) {
      for (let k = blockOffsets![v]!; k < blockOffsets![v + 1]!; k++) declaredBlock[blockFrom[k]!] = stamp;
    }
    const deps = task.dependencies ?? EMPTY;
    for (let k = 0; k < deps.length; k++) {
      const dep = deps[k]!;
      const u = index.get(dep);
      if (u === undefined) {
        reportMissing(ws, task.task_id, dep, "dependencies", ownersOf, issues);
        continue;
      }
      if (seen[u] === stamp) continue;
      seen[u] = stamp;
      preds[m++] = u;
      if (declaredBlock && declaredBlock[u] !== stamp && (tasks[u]!.blocks?.length ?? 0) > 0) {
        issues.push({
          kind: "one_sided_declaration",
          severity: "warning",
          message: `${task.task_id} depends on ${dep}, but ${dep} declares blocks without ${task.task_id}`,
          hint: `add "${task.task_id}" to the blocks of ${dep}, or drop its blocks list`,
          workstream_id: ws,
          task_id: task.task_id,
        });
      }
    }
    if (blockFrom) {
      for (let k = blockOffsets![v]!; k < blockOffsets![v + 1]!; k++) {
        const u = blockFrom[k]!;
        if (seen[u] === stamp) continue;
        seen[u] = stamp;
        preds[m++] = u;
        const prereq = tasks[u]!.task_id;
        issues.push({
          kind: "one_sided_declaration",
          severity: "warning",
          message: `${prereq} blocks ${task.task_id}, but ${task.task_id} does not list ${prereq} in dependencies`,
          hint: `add "${prereq}" to the dependencies of ${task.task_id}`,
          workstream_id: ws,
          task_id: task.task_id,
        });
      }
    }
    predOffsets[v + 1] = m;
  }
  const predTargets = m === cap ? preds : preds.slice(0, m);
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = tasks[i]!.task_id;
  return {
    workstreamId: ws,
    size: n,
    edgeCount: m,
    ids,
    tasks,
    indexOf: index,
    succ: invertCsr(n, predOffsets, predTargets),
    pred: { offsets: predOffsets, targets: predTargets },
  };
}

function reportMissing(
  ws: string,
  taskId: string,
  other: string,
  field: "dependencies" | "blocks",
  ownersOf: (taskId: string) => readonly string[],
  issues: DagIssue[],
): void {
  const elsewhere = ownersOf(other).filter((w) => w !== ws);
  if (elsewhere.length > 0) {
    issues.push({
      kind: "cross_workstream_dependency",
      severity: "error",
      code: "DAG_CROSS_WORKSTREAM",
      message: `${taskId} (${field}) names ${other}, a task of workstream ${elsewhere.join(", ")}, not of ${ws}`,
      hint: `task dependencies stay inside one workstream; order workstreams with depends_on in tasks/${ws}/_workstream.json`,
      workstream_id: ws,
      task_id: taskId,
    });
  } else {
    issues.push({
      kind: "unknown_dependency",
      severity: "error",
      code: "DAG_UNKNOWN_DEPENDENCY",
      message: `${taskId} (${field}) names ${other}, which is not a task of workstream ${ws}`,
      hint: `create tasks/${ws}/${other}.json or remove "${other}" from ${field}`,
      workstream_id: ws,
      task_id: taskId,
    });
  }
}

/** Code-unit order of ids: locale-independent, so plans are the same on every machine. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
