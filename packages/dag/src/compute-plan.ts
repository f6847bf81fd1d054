import type { DagDocument, ExecutionPlan } from "@weft/core-schema";
import { analyzeOrderedGraph, type GraphAnalysis } from "./analyze-graph.js";
import { buildTaskGraphs, compareIds } from "./build-task-graphs.js";
import { buildWorkstreamGraph } from "./build-workstream-graph.js";
import { checkCapabilities, type PlanCapability, type WorkerOffer } from "./check-capabilities.js";
import {
  type CompiledResources,
  compileResources,
  type PlanResource,
  REQ_UNITS,
} from "./compile-resources.js";
import type { DagIssue } from "./dag-issue.js";
import { type EstimateOptions, type Estimates, resolveEstimates } from "./estimate-durations.js";
import { findCycles } from "./find-cycles.js";
import { kahnOrder } from "./internal/kahn-order.js";
import { ResourceBook } from "./internal/resource-book.js";
import type { PlanTask, PlanWorkstream } from "./plan-task.js";
import { type Schedule, simulateSchedule } from "./simulate-schedule.js";
import type { TaskGraph } from "./task-graph.js";

/** Schema version of `dag_{ws}.json` and `execution_plan_{ws}.json`. */
export const PLAN_SCHEMA_VERSION = "1.0.0";

export interface PlanOptions {
  /** Workers (execution slots) for the makespan simulation and `max_parallelism`; at least 1. */
  readonly workers: number;
  /** `generated_at` of the documents (ISO-8601 UTC with milliseconds): the clock is injected. */
  readonly generatedAt: string;
  readonly estimates?: EstimateOptions | undefined;
  /** The resource registry (CONC-REG-001). Absent = empty: every requested resource is unknown. */
  readonly resources?: readonly PlanResource[] | undefined;
  /** The capability registry (CAP-REG-001). */
  readonly capabilities?: readonly PlanCapability[] | undefined;
  /** What the workers advertise. Absent = capability offers are not checked. */
  readonly offers?: readonly WorkerOffer[] | undefined;
  /** The current status of a task (from `.state/current.json`); default: the task file's `status`, else pending. */
  readonly statusOf?: ((workstreamId: string, taskId: string) => string | undefined) | undefined;
  /** Workstream definitions (`_workstream.json`): their `depends_on` graph is checked too, and a workstream without tasks still gets a plan. */
  readonly workstreams?: readonly PlanWorkstream[] | undefined;
  /** false: skip building the JSON documents (`dag`, `plan`) — for callers that only need the numbers. */
  readonly documents?: boolean | undefined;
}

/** The plan of one workstream. `dag` and `plan` are absent when the workstream's tasks form a cycle. */
export interface WorkstreamPlan {
  readonly workstreamId: string;
  readonly graph: TaskGraph;
  readonly estimates: Estimates;
  readonly resources: CompiledResources;
  /** Each cycle as task ids, each depending on the next (DAG-VIEW-003). */
  readonly cycles: readonly (readonly string[])[];
  readonly analysis?: GraphAnalysis | undefined;
  /** The simulated run behind `total_estimated_duration`. */
  readonly schedule?: Schedule | undefined;
  readonly stages?: readonly StageSummary[] | undefined;
  readonly dag?: DagDocument | undefined;
  readonly plan?: ExecutionPlan | undefined;
  /** This workstream's problems (also in {@link PlanResult.issues}). */
  readonly issues: readonly DagIssue[];
}

export interface PlanResult {
  readonly workstreams: readonly WorkstreamPlan[];
  /** Workstreams in `depends_on` order (prerequisites first; ties by priority, then id); empty on a cycle. */
  readonly workstreamOrder: readonly string[];
  /** Every problem, workstream-level ones included, in a stable order. */
  readonly issues: readonly DagIssue[];
  /** False when any issue is an error or critical (`weft plan` exits 1). */
  readonly ok: boolean;
}

/**
 * Plans every workstream (SPEC §8, DAG-VIEW-001..003): builds the graphs, reports cycles and bad references,
 * estimates, orders, stages, finds the critical path, simulates the makespan, checks capabilities and resources,
 * and builds the `DagDocument` and `ExecutionPlan` of each acyclic workstream. Pure: the caller writes the files.
 */
export function computePlans(tasks: readonly PlanTask[], options: PlanOptions): PlanResult {
  const built = buildTaskGraphs(tasks);
  const issues: DagIssue[] = [...built.issues];
  const graphs = [...built.graphs];
  const known = new Set(graphs.map((g) => g.workstreamId));
  for (const ws of options.workstreams ?? []) {
    if (!known.has(ws.workstream_id)) {
      known.add(ws.workstream_id);
      graphs.push(emptyGraph(ws.workstream_id));
    }
  }
  graphs.sort((a, b) => compareIds(a.workstreamId, b.workstreamId));
  const wsGraph = buildWorkstreamGraph(options.workstreams ?? [], [...known]);
  issues.push(...wsGraph.issues);
  const plans = graphs.map((g) => computeWorkstreamPlan(g, options));
  for (const p of plans) for (const issue of p.issues) issues.push(issue); // no spread: lists can be huge
  return {
    workstreams: plans,
    workstreamOrder: wsGraph.order,
    issues,
    ok: issues.every((i) => i.severity === "warning"),
  };
}

/** Plans one workstream's graph (see {@link computePlans}). */
export function computeWorkstreamPlan(graph: TaskGraph, options: PlanOptions): WorkstreamPlan {
  const ws = graph.workstreamId;
  const estimates = resolveEstimates(ws, graph.tasks, options.estimates);
  const compiled = compileResources(ws, graph.tasks, options.resources ?? []);
  const issues: DagIssue[] = compiled.issues;
  if (options.offers || options.capabilities) {
    for (const issue of checkCapabilities(ws, graph.tasks, options.capabilities ?? [], options.offers ?? []))
      issues.push(issue);
  }
  const kahn = kahnOrder(graph);
  const cycleIdx = kahn.complete ? [] : findCycles(graph);
  const cycles = cycleIdx.map((c) => c.map((v) => graph.ids[v]!));
  for (const cycle of cycles) {
    issues.push({
      kind: "dependency_cycle",
      severity: "critical",
      code: "DAG_CYCLE",
      event: "dependency_cycle_detected",
      message: `dependency cycle in workstream ${ws}: ${[...cycle, cycle[0]].join(" → ")} (each depends on the next)`,
      hint: "remove one of these dependencies",
      workstream_id: ws,
      task_id: cycle[0],
      cycle,
    });
  }
  const base = { workstreamId: ws, graph, estimates, resources: compiled.resources, cycles, issues };
  if (cycles.length > 0) return base;

  const n = graph.size;
  const priorities = new Float64Array(n);
  for (let v = 0; v < n; v++) priorities[v] = graph.tasks[v]!.priority ?? 0;
  const analysis = analyzeOrderedGraph(graph, kahn.order, estimates.seconds, priorities);
  const workers = Math.max(1, Math.floor(options.workers));
  const schedule = simulateSchedule({
    graph,
    durations: estimates.seconds,
    remaining: analysis.remaining,
    priorities,
    workers,
    resources: compiled.resources,
  });
  const stages = summarizeStages(analysis, estimates.seconds, compiled.resources, workers);
  const core = { ...base, analysis, schedule, stages };
  if (options.documents === false) return core;
  return { ...core, ...buildPlanDocuments(core, options) };
}

/** Builds the `.state/dag_{ws}.json` and `.state/execution_plan_{ws}.json` documents of a planned workstream. */
function buildPlanDocuments(
  p: WorkstreamPlan & { analysis: GraphAnalysis; schedule: Schedule; stages: readonly StageSummary[] },
  options: PlanOptions,
): { dag: DagDocument; plan: ExecutionPlan } {
  const { graph, analysis, workstreamId: ws } = p;
  const ids = graph.ids;
  const order = analysis.order;
  const nodes: DagDocument["nodes"] = [];
  const topological: string[] = [];
  for (let i = 0; i < order.length; i++) {
    const t = graph.tasks[order[i]!]!;
    const status = options.statusOf?.(ws, t.task_id) ?? t.status ?? "pending";
    nodes.push({ task_id: t.task_id, name: t.name ?? t.task_id, type: t.type ?? "custom", status });
    topological.push(t.task_id);
  }
  const toIds = (list: Int32Array): string[] => Array.from(list, (v) => ids[v]!);
  return {
    dag: {
      schema_version: PLAN_SCHEMA_VERSION,
      workstream_id: ws,
      generated_at: options.generatedAt,
      nodes,
      edges: edgesInOrder(graph, order),
      topological_order: topological,
    },
    plan: {
      schema_version: PLAN_SCHEMA_VERSION,
      workstream_id: ws,
      generated_at: options.generatedAt,
      stages: p.stages.map((st) => ({
        stage: st.stage,
        parallel_tasks: toIds(st.tasks),
        max_parallelism: st.maxParallelism,
        estimated_duration_seconds: round3(st.estimatedDuration),
        critical_path: toIds(st.criticalPath),
        resource_requirements: st.resourceRequirements,
      })),
      total_estimated_duration: round3(p.schedule.makespan),
      critical_path_duration: round3(analysis.criticalPathDuration),
      critical_path_tasks: toIds(analysis.criticalPath),
    },
  };
}

/** One stage (longest-path level) of a plan, as node indices. */
export interface StageSummary {
  readonly stage: number;
  /** The stage's tasks in topological order. */
  readonly tasks: Int32Array;
  /** How many of them can run at once: up to the workers, filled greedily in order, resources honoured. */
  readonly maxParallelism: number;
  /** max(longest task, summed estimates / maxParallelism): the stage's duration if run on its own. */
  readonly estimatedDuration: number;
  /** The stage's tasks that are on the critical path. */
  readonly criticalPath: Int32Array;
  /** Units or holder slots asked of each resource by the stage's tasks, summed ("exclusive"/"shared" count 1). */
  readonly resourceRequirements: Record<string, number>;
}

function summarizeStages(
  analysis: GraphAnalysis,
  seconds: Float64Array,
  resources: CompiledResources,
  workers: number,
): StageSummary[] {
  const { order, stage, stageCount } = analysis;
  // Counting sort of the topological order by stage.
  const offsets = new Int32Array(stageCount + 1);
  for (let i = 0; i < order.length; i++) {
    const s = stage[order[i]!]! + 1;
    offsets[s] = offsets[s]! + 1;
  }
  for (let s = 0; s < stageCount; s++) offsets[s + 1] = offsets[s + 1]! + offsets[s]!;
  const cursor = offsets.slice(0, stageCount);
  const members = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const v = order[i]!;
    const s = stage[v]!;
    const at = cursor[s]!;
    cursor[s] = at + 1;
    members[at] = v;
  }
  const onPath = new Uint8Array(order.length);
  for (const v of analysis.criticalPath) onPath[v] = 1;
  const out: StageSummary[] = [];
  for (let s = 0; s < stageCount; s++) {
    const tasks = members.subarray(offsets[s]!, offsets[s + 1]!);
    let longest = 0;
    let total = 0;
    for (let i = 0; i < tasks.length; i++) {
      const d = seconds[tasks[i]!]!;
      total += d;
      if (d > longest) longest = d;
    }
    const parallelism = stageParallelism(tasks, workers, resources);
    out.push({
      stage: s,
      tasks,
      maxParallelism: parallelism,
      estimatedDuration: Math.max(longest, parallelism > 0 ? total / parallelism : 0),
      criticalPath: tasks.filter((v) => onPath[v] === 1),
      resourceRequirements: stageResources(tasks, resources),
    });
  }
  return out;
}

/** How many of a stage's tasks can run at once: up to `workers`, filled greedily in order, resources honoured. */
function stageParallelism(tasks: Int32Array, workers: number, resources: CompiledResources): number {
  if (resources.requestCount === 0) return Math.min(tasks.length, workers);
  const book = new ResourceBook(resources);
  let count = 0;
  for (const v of tasks) {
    if (count === workers) break;
    if (book.blocker(v, 0) >= 0) continue;
    book.acquire(v, 0);
    count++;
  }
  return count;
}

/** Units (or holder slots; "exclusive" and "shared" count 1 each) the stage's tasks ask of each resource, summed. */
function stageResources(tasks: Int32Array, res: CompiledResources): Record<string, number> {
  if (res.requestCount === 0) return {};
  const sums = new Map<number, number>();
  for (const v of tasks) {
    for (let k = res.reqOffsets[v]!; k < res.reqOffsets[v + 1]!; k++) {
      const r = res.reqRes[k]!;
      const amount = res.reqKind[k] === REQ_UNITS ? res.reqAmount[k]! : 1;
      sums.set(r, (sums.get(r) ?? 0) + amount);
    }
  }
  const out: Record<string, number> = {};
  for (const [r, sum] of [...sums].sort((a, b) => compareIds(res.ids[a[0]]!, res.ids[b[0]]!)))
    out[res.ids[r]!] = sum;
  return out;
}

/** Edges prerequisite → dependent, grouped by prerequisite in topological order. */
function edgesInOrder(graph: TaskGraph, order: Int32Array): DagDocument["edges"] {
  const edges: DagDocument["edges"] = [];
  const { offsets, targets } = graph.succ;
  const ids = graph.ids;
  for (let i = 0; i < order.length; i++) {
    const u = order[i]!;
    const from = ids[u]!;
    for (let k = offsets[u]!; k < offsets[u + 1]!; k++)
      edges.push({ from, to: ids[targets[k]!]!, type: "depends_on" });
  }
  return edges;
}

function emptyGraph(workstreamId: string): TaskGraph {
  const empty = { offsets: new Int32Array(1), targets: new Int32Array(0) };
  return {
    workstreamId,
    size: 0,
    edgeCount: 0,
    ids: [],
    tasks: [],
    indexOf: new Map(),
    succ: empty,
    pred: empty,
  };
}

/** Rounds seconds to milliseconds, so plans do not carry floating-point noise. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
