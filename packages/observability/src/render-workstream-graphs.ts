import type { CurrentState } from "@weft/core-schema";
import { DEFAULT_MAX_DRAWN_NODES, escapeXml, type Layout, layoutGraph } from "@weft/dag";

/** One workstream as the dashboard draws it. */
export interface WorkstreamGraph {
  readonly workstreamId: string;
  readonly status: string;
  readonly taskCount: number;
  /** Tasks by status. */
  readonly counts: Readonly<Record<string, number>>;
  /** Inline `<svg>` (no namespace URL, no external reference), or "" when the workstream is too big to draw. */
  readonly svg: string;
  readonly note?: string;
}

export interface WorkstreamGraphOptions {
  /** Above this many tasks a workstream is shown as counts only (dagre's cost grows steeply). */
  readonly maxNodes?: number | undefined;
  /** Layout cache shared between calls: a layout depends only on the tasks and their dependencies. */
  readonly cache?: Map<string, Layout> | undefined;
}

type Snapshot = Pick<CurrentState, "workstreams" | "tasks">;
type Task = Snapshot["tasks"][number];

const CHAR_WIDTH = 7.2;
const NODE_HEIGHT = 44;

function fmt(x: number): string {
  return String(Math.round(x * 10) / 10);
}

function statusLine(t: Task): string {
  return `${t.type} · ${t.status}`;
}

function nodeWidth(t: Task): number {
  const longest = Math.max(t.task_id.length, `${t.type} · validating`.length);
  return Math.min(300, Math.max(120, Math.ceil(longest * CHAR_WIDTH) + 28));
}

function layoutOf(tasks: readonly Task[], cache: Map<string, Layout> | undefined): Layout {
  const ids = new Set(tasks.map((t) => t.task_id));
  const nodes = tasks.map((t) => ({ id: t.task_id, width: nodeWidth(t), height: NODE_HEIGHT }));
  const edges: { from: string; to: string }[] = [];
  for (const t of tasks)
    for (const d of t.dependencies) if (ids.has(d) && d !== t.task_id) edges.push({ from: d, to: t.task_id });
  const key = JSON.stringify([nodes.map((n) => [n.id, n.width]), edges.map((e) => [e.from, e.to])]);
  const hit = cache?.get(key);
  if (hit) return hit;
  const layout = layoutGraph(nodes, edges, { direction: "LR", nodeSeparation: 18, rankSeparation: 48 });
  if (cache) {
    if (cache.size > 200) cache.clear();
    cache.set(key, layout);
  }
  return layout;
}

function renderSvg(wsIndex: number, tasks: readonly Task[], layout: Layout): string {
  const byId = new Map(tasks.map((t) => [t.task_id, t] as const));
  const marker = `arrow-${wsIndex}`;
  const w = Math.ceil(layout.width);
  const h = Math.ceil(layout.height);
  const out: string[] = [
    `<svg class="dag" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="task graph">`,
    `<defs><marker id="${marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow"/></marker></defs>`,
    '<g class="edges">',
  ];
  for (const e of layout.edges) {
    if (e.points.length === 0) continue;
    const d = e.points.map((p, i) => `${i === 0 ? "M" : "L"}${fmt(p.x)},${fmt(p.y)}`).join(" ");
    out.push(
      `<path d="${d}" data-from="${escapeXml(e.from)}" data-to="${escapeXml(e.to)}" marker-end="url(#${marker})"/>`,
    );
  }
  out.push("</g>", '<g class="nodes">');
  for (const p of layout.nodes) {
    const t = byId.get(p.id)!;
    const x = p.x - p.width / 2;
    const y = p.y - p.height / 2;
    const tip = `${t.task_id}${t.name && t.name !== t.task_id ? ` — ${t.name}` : ""}`;
    out.push(
      `<g class="node" data-task="${escapeXml(t.task_id)}" data-status="${escapeXml(t.status)}">` +
        `<title>${escapeXml(tip)}</title>` +
        `<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(p.width)}" height="${fmt(p.height)}" rx="8"/>` +
        `<text class="id" x="${fmt(p.x)}" y="${fmt(y + 18)}">${escapeXml(t.task_id)}</text>` +
        `<text class="st" x="${fmt(p.x)}" y="${fmt(y + 34)}" data-type="${escapeXml(t.type)}">${escapeXml(statusLine(t))}</text>` +
        "</g>",
    );
  }
  out.push("</g></svg>");
  return out.join("\n");
}

/**
 * The dashboard's picture of each workstream (DAG-VIEW, OBS-002 `weft serve`): tasks laid out with dagre (via
 * @weft/dag's `layoutGraph`), edges prerequisite → dependent, every node carrying `data-task` and `data-status`
 * so the page recolors it live from the event stream. Pure apart from the optional layout cache.
 */
export function renderWorkstreamGraphs(
  snapshot: Snapshot,
  options: WorkstreamGraphOptions = {},
): WorkstreamGraph[] {
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_DRAWN_NODES;
  const tasksByWs = new Map<string, Task[]>();
  for (const ws of snapshot.workstreams) tasksByWs.set(ws.workstream_id, []);
  for (const t of snapshot.tasks) {
    const list = tasksByWs.get(t.workstream_id);
    if (list) list.push(t);
    else tasksByWs.set(t.workstream_id, [t]);
  }
  const statusOf = new Map(snapshot.workstreams.map((w) => [w.workstream_id, w.status] as const));
  const out: WorkstreamGraph[] = [];
  let index = 0;
  for (const [workstreamId, tasks] of tasksByWs) {
    const counts: Record<string, number> = {};
    for (const t of tasks) counts[t.status] = (counts[t.status] ?? 0) + 1;
    const base = {
      workstreamId,
      status: statusOf.get(workstreamId) ?? "planned",
      taskCount: tasks.length,
      counts,
    };
    if (tasks.length > maxNodes) {
      out.push({
        ...base,
        svg: "",
        note: `${tasks.length.toLocaleString("en-US")} tasks exceed the drawing limit of ${maxNodes}; counts only (weft graph --format dot draws every task).`,
      });
    } else if (tasks.length === 0) {
      out.push({ ...base, svg: "", note: "no tasks yet" });
    } else {
      out.push({ ...base, svg: renderSvg(index, tasks, layoutOf(tasks, options.cache)) });
    }
    index += 1;
  }
  return out;
}
