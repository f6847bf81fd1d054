import { DagDocument, ExecutionPlan } from "@weft/core-schema";
import { buildTaskGraphs, compareIds } from "./build-task-graphs.js";
import { buildWorkstreamGraph } from "./build-workstream-graph.js";
import { findCycles } from "./find-cycles.js";
import type { PlanTask, PlanWorkstream } from "./plan-task.js";

export type DagRequirement = "DAG-VIEW-001" | "DAG-VIEW-002" | "DAG-VIEW-003";
export const DAG_REQUIREMENTS: readonly DagRequirement[] = ["DAG-VIEW-001", "DAG-VIEW-002", "DAG-VIEW-003"];

/** A JSON document found on disk: its path (as the report should show it) and its parsed value. */
export interface FoundDocument {
  readonly path: string;
  readonly value: unknown;
}

export interface DagDocumentsInput {
  /** The current task definitions (every workstream). */
  readonly tasks: readonly PlanTask[];
  /** `_workstream.json` definitions, for the depends_on graph and workstreams without tasks. */
  readonly workstreams?: readonly PlanWorkstream[] | undefined;
  /** Workstream id → its `.state/dag_{ws}.json` and `.state/execution_plan_{ws}.json`, when present. */
  readonly documents: ReadonlyMap<
    string,
    { readonly dag?: FoundDocument | undefined; readonly plan?: FoundDocument | undefined }
  >;
  /** Where a document's files would be (for "missing" reports), e.g. `(ws) => ".state/dag_ws.json"`. */
  readonly pathOf: (workstreamId: string, kind: "dag" | "plan") => string;
  /** Maps a JSON path inside a file to its line and column (1-based); default 1:1. */
  readonly locate?:
    | ((path: string, pointer: readonly (string | number)[]) => { line: number; column: number } | undefined)
    | undefined;
}

/** One violation, in the shape COMPLIANCE-001 reports: requirement, `file:line:column`, what, and a fix. */
export interface DagCheckIssue {
  readonly requirement: DagRequirement;
  readonly severity: "error" | "warning";
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** JSON path of the offending value inside `file` (empty: the whole file, or the task definitions). */
  readonly pointer: readonly (string | number)[];
  readonly message: string;
  readonly hint: string;
}

export interface DagCheckResult {
  /** PASS/FAIL per requirement (FAIL when it has an error). */
  readonly results: readonly { readonly requirement: DagRequirement; readonly passed: boolean }[];
  readonly issues: readonly DagCheckIssue[];
}

const REPLAN = "run `weft plan` to regenerate the DAG and execution plan";

/**
 * Checks DAG-VIEW-001..003 on what is on disk, without running anything (COMPLIANCE-001): for every workstream,
 * `dag_{ws}.json` and `execution_plan_{ws}.json` are present, schema-valid and current (same tasks and edges as the
 * task definitions); `topological_order` lists every task once and respects every edge; stages are the longest-path
 * levels; the critical path is a chain of edges; and the task and workstream graphs have no cycle (each reported as
 * its ordered ids), no unknown and no cross-workstream dependency. Pure: the caller reads the files.
 */
export function checkDagDocuments(input: DagDocumentsInput): DagCheckResult {
  const issues: DagCheckIssue[] = [];
  const at = (
    requirement: DagRequirement,
    file: string,
    pointer: readonly (string | number)[],
    message: string,
    hint: string,
    severity: "error" | "warning" = "error",
  ): void => {
    const pos = input.locate?.(file, pointer) ?? { line: 1, column: 1 };
    issues.push({ requirement, severity, file, line: pos.line, column: pos.column, pointer, message, hint });
  };
  const built = buildTaskGraphs(input.tasks);
  const taskFile = (ws: string, task?: string): string => (task ? `tasks/${ws}/${task}.json` : `tasks/${ws}`);
  for (const issue of built.issues) {
    if (issue.severity === "warning") continue;
    at(
      "DAG-VIEW-003",
      taskFile(issue.workstream_id ?? "", issue.task_id),
      ["dependencies"],
      issue.message,
      issue.hint ?? REPLAN,
    );
  }
  const graphs = new Map(built.graphs.map((g) => [g.workstreamId, g] as const));
  const wsIds = new Set([...graphs.keys(), ...(input.workstreams ?? []).map((w) => w.workstream_id)]);
  const wsGraph = buildWorkstreamGraph(input.workstreams ?? [], [...wsIds]);
  for (const issue of wsGraph.issues) {
    at(
      "DAG-VIEW-003",
      `tasks/${issue.workstream_id}/_workstream.json`,
      ["depends_on"],
      issue.message,
      issue.hint ?? "",
    );
  }
  for (const ws of [...wsIds].sort(compareIds)) {
    const graph = graphs.get(ws);
    const ids = graph?.ids ?? [];
    const edges = new Set<string>();
    if (graph) {
      const { offsets, targets } = graph.succ;
      for (let u = 0; u < graph.size; u++)
        for (let k = offsets[u]!; k < offsets[u + 1]!; k++) edges.add(`${ids[u]}\u0000${ids[targets[k]!]}`);
      const cycles = findCycles(graph).map((c) => c.map((v) => ids[v]!));
      for (const cycle of cycles) {
        at(
          "DAG-VIEW-003",
          taskFile(ws, cycle[0]),
          ["dependencies"],
          `dependency cycle (dependency_cycle_detected): ${[...cycle, cycle[0]].join(" → ")} (each depends on the next)`,
          "remove one of these dependencies",
        );
      }
      if (cycles.length > 0) continue; // weft plan writes no documents for a cyclic workstream
    }
    const found = input.documents.get(ws);
    const taskSet = new Set(ids);
    checkDag(ws, found?.dag, input.pathOf(ws, "dag"), taskSet, edges, graph?.tasks ?? [], at);
    checkPlan(ws, found?.plan, input.pathOf(ws, "plan"), taskSet, edges, at);
  }
  return {
    results: DAG_REQUIREMENTS.map((requirement) => ({
      requirement,
      passed: !issues.some((i) => i.requirement === requirement && i.severity === "error"),
    })),
    issues,
  };
}

type Report = (
  requirement: DagRequirement,
  file: string,
  pointer: readonly (string | number)[],
  message: string,
  hint: string,
  severity?: "error" | "warning",
) => void;

function checkDag(
  ws: string,
  found: FoundDocument | undefined,
  path: string,
  taskSet: ReadonlySet<string>,
  edges: ReadonlySet<string>,
  tasks: readonly PlanTask[],
  at: Report,
): void {
  const R = "DAG-VIEW-001";
  if (!found) {
    at(R, path, [], `${path} is missing for workstream ${ws}`, REPLAN);
    return;
  }
  const file = found.path;
  const parsed = DagDocument.safeParse(found.value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      at(
        R,
        file,
        issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
        `does not match the DAG schema: ${issue.message}`,
        REPLAN,
      );
    }
    return;
  }
  const doc = parsed.data;
  if (doc.workstream_id !== ws)
    at(R, file, ["workstream_id"], `workstream_id is ${doc.workstream_id}, expected ${ws}`, REPLAN);
  const nodeIds = new Set<string>();
  const byId = new Map(tasks.map((t) => [t.task_id, t] as const));
  doc.nodes.forEach((node, i) => {
    if (nodeIds.has(node.task_id))
      at(R, file, ["nodes", i, "task_id"], `node ${node.task_id} is listed twice`, REPLAN);
    nodeIds.add(node.task_id);
    const task = byId.get(node.task_id);
    if (!task)
      at(R, file, ["nodes", i], `not current: node ${node.task_id} is no longer a task of ${ws}`, REPLAN);
    else if ((task.name ?? task.task_id) !== node.name || (task.type ?? "custom") !== node.type) {
      at(
        R,
        file,
        ["nodes", i],
        `not current: node ${node.task_id} has name/type "${node.name}"/${node.type}, the task file says "${task.name}"/${task.type}`,
        REPLAN,
      );
    }
  });
  for (const id of taskSet)
    if (!nodeIds.has(id)) at(R, file, ["nodes"], `not current: task ${id} has no node`, REPLAN);
  const docEdges = new Set<string>();
  doc.edges.forEach((e, i) => {
    const key = `${e.from}\u0000${e.to}`;
    docEdges.add(key);
    if (!edges.has(key))
      at(
        R,
        file,
        ["edges", i],
        `not current: edge ${e.from} → ${e.to} is not a dependency in the task files`,
        REPLAN,
      );
  });
  for (const key of edges) {
    if (!docEdges.has(key)) {
      const [from, to] = key.split("\u0000");
      at(
        R,
        file,
        ["edges"],
        `not current: dependency ${from} → ${to} (${to} depends on ${from}) has no edge`,
        REPLAN,
      );
    }
  }
  const position = new Map<string, number>();
  doc.topological_order.forEach((id, i) => {
    if (position.has(id))
      at(R, file, ["topological_order", i], `${id} appears twice in topological_order`, REPLAN);
    else position.set(id, i);
    if (!nodeIds.has(id))
      at(R, file, ["topological_order", i], `${id} in topological_order is not a node`, REPLAN);
  });
  for (const id of nodeIds)
    if (!position.has(id))
      at(R, file, ["topological_order"], `node ${id} is missing from topological_order`, REPLAN);
  doc.edges.forEach((e, i) => {
    const a = position.get(e.from);
    const b = position.get(e.to);
    if (a !== undefined && b !== undefined && a >= b) {
      at(R, file, ["edges", i], `topological_order puts ${e.to} before its prerequisite ${e.from}`, REPLAN);
    }
  });
}

function checkPlan(
  ws: string,
  found: FoundDocument | undefined,
  path: string,
  taskSet: ReadonlySet<string>,
  edges: ReadonlySet<string>,
  at: Report,
): void {
  const R = "DAG-VIEW-002";
  if (!found) {
    at(R, path, [], `${path} is missing for workstream ${ws}`, REPLAN);
    return;
  }
  const file = found.path;
  const parsed = ExecutionPlan.safeParse(found.value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      at(
        R,
        file,
        issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
        `does not match the execution plan schema: ${issue.message}`,
        REPLAN,
      );
    }
    return;
  }
  const plan = parsed.data;
  if (plan.workstream_id !== ws)
    at(R, file, ["workstream_id"], `workstream_id is ${plan.workstream_id}, expected ${ws}`, REPLAN);
  const stageOf = new Map<string, number>();
  plan.stages.forEach((stage, s) => {
    if (stage.stage !== s)
      at(
        R,
        file,
        ["stages", s, "stage"],
        `stage number ${stage.stage} at position ${s}; stages are numbered 0, 1, 2, …`,
        REPLAN,
      );
    stage.parallel_tasks.forEach((id, i) => {
      if (stageOf.has(id))
        at(R, file, ["stages", s, "parallel_tasks", i], `${id} is in more than one stage`, REPLAN);
      else stageOf.set(id, s);
      if (!taskSet.has(id))
        at(
          R,
          file,
          ["stages", s, "parallel_tasks", i],
          `not current: ${id} is no longer a task of ${ws}`,
          REPLAN,
        );
    });
    if (stage.max_parallelism > stage.parallel_tasks.length) {
      at(
        R,
        file,
        ["stages", s, "max_parallelism"],
        `max_parallelism ${stage.max_parallelism} exceeds the stage's ${stage.parallel_tasks.length} tasks`,
        REPLAN,
      );
    }
    stage.critical_path.forEach((id, i) => {
      if (!stage.parallel_tasks.includes(id))
        at(
          R,
          file,
          ["stages", s, "critical_path", i],
          `${id} is on the stage's critical path but not in the stage`,
          REPLAN,
        );
    });
  });
  for (const id of taskSet)
    if (!stageOf.has(id)) at(R, file, ["stages"], `not current: task ${id} is in no stage`, REPLAN);
  // Stages must be the longest-path levels of the current graph.
  const preds = new Map<string, string[]>();
  for (const key of edges) {
    const [from, to] = key.split("\u0000") as [string, string];
    const list = preds.get(to);
    if (list) list.push(from);
    else preds.set(to, [from]);
  }
  for (const [id, s] of stageOf) {
    if (!taskSet.has(id)) continue;
    const ps = preds.get(id) ?? [];
    const expected = ps.length === 0 ? 0 : Math.max(...ps.map((p) => (stageOf.get(p) ?? -1) + 1));
    if (ps.some((p) => (stageOf.get(p) ?? Number.POSITIVE_INFINITY) >= s)) {
      at(
        R,
        file,
        ["stages", s],
        `${id} is in stage ${s}, not after all its prerequisites (${ps.join(", ")})`,
        REPLAN,
      );
    } else if (expected !== s) {
      at(R, file, ["stages", s], `${id} is in stage ${s}, but its longest-path level is ${expected}`, REPLAN);
    }
  }
  const cp = plan.critical_path_tasks;
  for (let i = 0; i + 1 < cp.length; i++) {
    if (!edges.has(`${cp[i]}\u0000${cp[i + 1]}`)) {
      at(
        R,
        file,
        ["critical_path_tasks", i + 1],
        `critical_path_tasks is not a chain: ${cp[i + 1]} does not depend on ${cp[i]}`,
        REPLAN,
      );
    }
  }
  if (plan.critical_path_duration > plan.total_estimated_duration + 1e-6) {
    at(
      R,
      file,
      ["total_estimated_duration"],
      `total_estimated_duration ${plan.total_estimated_duration} is shorter than critical_path_duration ${plan.critical_path_duration}`,
      REPLAN,
    );
  }
}
