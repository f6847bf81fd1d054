import type { WorkstreamPlan } from "./compute-plan.js";

/**
 * Above this many tasks a workstream is drawn as one box per stage: dagre's layout time grows steeply with size
 * (measured on the idle 2-core benchmark machine, 2 edges per task: 0.26 s for 150 tasks, 0.8–1 s for 300,
 * 3.6 s for 600).
 */
export const DEFAULT_MAX_DRAWN_NODES = 300;
/** Also summarize when tasks + edges + edge bends (dummy nodes dagre adds per skipped rank) exceed this. */
export const DEFAULT_MAX_LAYOUT_COST = 2000;
/** A summary draws at most this many boxes; more stages are grouped into bands of consecutive stages. */
const MAX_SUMMARY_BOXES = 100;

/** Task states in display order (SM-DEF-001), with the colors used by every renderer. */
export const STATUS_COLORS: Readonly<Record<string, { fill: string; stroke: string }>> = {
  pending: { fill: "#e5e7eb", stroke: "#6b7280" },
  blocked: { fill: "#fde68a", stroke: "#b45309" },
  queued: { fill: "#bfdbfe", stroke: "#1d4ed8" },
  running: { fill: "#60a5fa", stroke: "#1e40af" },
  validating: { fill: "#c4b5fd", stroke: "#6d28d9" },
  retrying: { fill: "#fdba74", stroke: "#c2410c" },
  completed: { fill: "#86efac", stroke: "#15803d" },
  failed: { fill: "#fca5a5", stroke: "#b91c1c" },
  cancelled: { fill: "#f3f4f6", stroke: "#9ca3af" },
};
/** Color of the critical path (node outline and edges). */
export const CRITICAL_COLOR = "#dc2626";

export function statusColor(status: string): { fill: string; stroke: string } {
  return STATUS_COLORS[status] ?? { fill: "#ffffff", stroke: "#6b7280" };
}

export interface ViewNode {
  /** Unique within the view (used as the node id by every format). */
  readonly key: string;
  /** First line: the task id (or "stage 3" in a summary). */
  readonly title: string;
  /** Further lines: name, `type · status · estimate`. */
  readonly lines: readonly string[];
  /** Full text for tooltips. */
  readonly tooltip: string;
  /** Drives the fill color; in a summary, the most advanced state present. */
  readonly status: string;
  /** Summary boxes: how many tasks are in each state. */
  readonly statusCounts?: Readonly<Record<string, number>> | undefined;
  readonly critical: boolean;
}

export interface ViewEdge {
  readonly from: string;
  readonly to: string;
  readonly critical: boolean;
}

/** What a renderer draws for one workstream. */
export interface GraphView {
  readonly workstreamId: string;
  readonly taskCount: number;
  /** True when the tasks were too many to draw: one box per stage instead. */
  readonly summary: boolean;
  /** A sentence for the reader about what is drawn (size limit, cycles). */
  readonly note?: string | undefined;
  readonly nodes: readonly ViewNode[];
  readonly edges: readonly ViewEdge[];
  readonly criticalPathDuration?: number | undefined;
  readonly totalEstimatedDuration?: number | undefined;
}

export interface GraphViewOptions {
  /** Current status of a task (from `.state`); default: the task file's status, else pending. */
  readonly statusOf?: ((workstreamId: string, taskId: string) => string | undefined) | undefined;
  /** Size limit for drawing every task; default {@link DEFAULT_MAX_DRAWN_NODES}. */
  readonly maxNodes?: number | undefined;
  /** Limit of tasks + edges + edge bends; default {@link DEFAULT_MAX_LAYOUT_COST}. */
  readonly maxLayoutCost?: number | undefined;
  /** Limit of edges (Mermaid refuses more than 500 by default); default none. */
  readonly maxEdges?: number | undefined;
}

/** Summary boxes take the color of the state that matters most to a reader. */
const SUMMARY_STATUS_ORDER = [
  "failed",
  "running",
  "validating",
  "retrying",
  "queued",
  "blocked",
  "pending",
  "cancelled",
  "completed",
];

/**
 * Turns a workstream plan into what the renderers draw: every task with its status color and the critical path
 * highlighted, or — above `maxNodes` tasks — one box per stage with its task count and states (and a note saying so).
 */
export function createGraphView(plan: WorkstreamPlan, options: GraphViewOptions = {}): GraphView {
  const { graph, analysis, workstreamId: ws } = plan;
  const n = graph.size;
  const status = new Array<string>(n);
  for (let v = 0; v < n; v++) {
    const t = graph.tasks[v]!;
    status[v] = options.statusOf?.(ws, t.task_id) ?? t.status ?? "pending";
  }
  const onPath = new Uint8Array(n);
  if (analysis) for (const v of analysis.criticalPath) onPath[v] = 1;
  const durations = {
    criticalPathDuration: analysis?.criticalPathDuration,
    totalEstimatedDuration: plan.schedule?.makespan,
  };
  const cycleNote =
    plan.cycles.length > 0
      ? `Dependency cycle${plan.cycles.length > 1 ? "s" : ""}: ${plan.cycles.map((c) => [...c, c[0]].join(" → ")).join("; ")}.`
      : undefined;
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_DRAWN_NODES;
  const cost = layoutCost(plan);
  const maxCost = options.maxLayoutCost ?? DEFAULT_MAX_LAYOUT_COST;
  const tooMany =
    n > maxNodes
      ? `${n.toLocaleString("en-US")} tasks exceed the drawing limit of ${maxNodes.toLocaleString("en-US")}`
      : cost > maxCost
        ? `${n} tasks with ${graph.edgeCount} edges exceed the layout budget (${cost} > ${maxCost})`
        : graph.edgeCount > (options.maxEdges ?? Number.POSITIVE_INFINITY)
          ? `${graph.edgeCount} edges exceed the limit of ${options.maxEdges} for this format`
          : undefined;
  if (!tooMany) {
    const nodes: ViewNode[] = [];
    const order = analysis ? Array.from(analysis.order) : Array.from({ length: n }, (_, i) => i);
    for (const v of order) {
      const t = graph.tasks[v]!;
      const seconds = plan.estimates.seconds[v]!;
      const name = t.name && t.name !== t.task_id ? t.name : undefined;
      const meta = `${t.type ?? "custom"} · ${status[v]} · ${formatSeconds(seconds)}`;
      nodes.push({
        key: `t${v}`,
        title: t.task_id,
        lines: name ? [truncate(name, 36), meta] : [meta],
        tooltip: `${t.task_id}${name ? ` — ${name}` : ""}\n${meta}${onPath[v] ? "\non the critical path" : ""}`,
        status: status[v]!,
        critical: onPath[v] === 1,
      });
    }
    const edges: ViewEdge[] = [];
    const { offsets, targets } = graph.succ;
    const cpNext = new Int32Array(n).fill(-1);
    if (analysis)
      for (let i = 0; i + 1 < analysis.criticalPath.length; i++)
        cpNext[analysis.criticalPath[i]!] = analysis.criticalPath[i + 1]!;
    for (const u of order) {
      for (let k = offsets[u]!; k < offsets[u + 1]!; k++) {
        const v = targets[k]!;
        edges.push({ from: `t${u}`, to: `t${v}`, critical: cpNext[u] === v });
      }
    }
    return { workstreamId: ws, taskCount: n, summary: false, note: cycleNote, nodes, edges, ...durations };
  }

  // Summary: one box per stage (or per band of stages; one box in all when a cycle leaves no stages).
  const groups: number[][] = [];
  const titles: string[] = [];
  const stages = analysis ? (plan.stages ?? []) : [];
  const band = Math.max(1, Math.ceil(stages.length / MAX_SUMMARY_BOXES));
  for (let s = 0; s < stages.length; s += band) {
    const last = Math.min(stages.length, s + band) - 1;
    const members: number[] = [];
    for (let k = s; k <= last; k++) for (const v of stages[k]!.tasks) members.push(v);
    groups.push(members);
    titles.push(last === s ? `stage ${s}` : `stages ${s}–${last}`);
  }
  if (groups.length === 0) {
    groups.push(Array.from({ length: n }, (_, i) => i));
    titles.push("all tasks");
  }
  const limitNote = `${tooMany}: one box per ${band > 1 ? `band of ${band} stages` : "stage"} is drawn (--max-nodes raises the limit; --format dot draws every task).`;
  const nodes: ViewNode[] = groups.map((members, s) => {
    const counts: Record<string, number> = {};
    let critical = false;
    let seconds = 0;
    for (const v of members) {
      counts[status[v]!] = (counts[status[v]!] ?? 0) + 1;
      if (onPath[v]) critical = true;
      seconds = Math.max(seconds, plan.estimates.seconds[v]!);
    }
    const shown = SUMMARY_STATUS_ORDER.find((st) => counts[st]) ?? Object.keys(counts)[0] ?? "pending";
    const countText = Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([st, c]) => `${c} ${st}`)
      .join(" · ");
    const title = titles[s]!;
    const tasksText = `${members.length.toLocaleString("en-US")} task${members.length === 1 ? "" : "s"}`;
    return {
      key: `s${s}`,
      title,
      lines: [tasksText, truncate(countText, 48)],
      tooltip: `${title}: ${tasksText}\n${countText}${critical ? "\ncontains a critical-path task" : ""}`,
      status: shown,
      statusCounts: counts,
      critical,
    };
  });
  const edges: ViewEdge[] = [];
  for (let s = 0; s + 1 < nodes.length; s++) {
    edges.push({ from: `s${s}`, to: `s${s + 1}`, critical: nodes[s]!.critical && nodes[s + 1]!.critical });
  }
  return {
    workstreamId: ws,
    taskCount: n,
    summary: true,
    note: cycleNote ? `${limitNote} ${cycleNote}` : limitNote,
    nodes,
    edges,
    ...durations,
  };
}

/** What dagre has to place: tasks, edges, and one dummy node per rank an edge skips (ranks ≈ stages). */
function layoutCost(plan: WorkstreamPlan): number {
  const { graph, analysis } = plan;
  let cost = graph.size + graph.edgeCount;
  if (!analysis) return cost;
  const { offsets, targets } = graph.succ;
  for (let u = 0; u < graph.size; u++) {
    for (let k = offsets[u]!; k < offsets[u + 1]!; k++)
      cost += analysis.stage[targets[k]!]! - analysis.stage[u]! - 1;
  }
  return cost;
}

/** `95` → "1m 35s", `3600` → "1h", `0.5` → "0.5s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds * 10) / 10}s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h ? `${h}h` : "", m ? `${m}m` : "", s ? `${s}s` : ""].filter(Boolean).join(" ");
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
