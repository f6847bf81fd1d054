/**
 * The one typed wrapper around `@dagrejs/dagre` (its bundled types resolve to `any` under NodeNext, so every use
 * of dagre goes through here, and nothing untyped escapes).
 */
import dagre from "@dagrejs/dagre";

export interface LayoutNodeInput {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

export interface LayoutEdgeInput {
  readonly from: string;
  readonly to: string;
}

export interface LayoutOptions {
  /** Rank direction; default top to bottom. */
  readonly direction?: "TB" | "LR" | undefined;
  readonly nodeSeparation?: number | undefined;
  readonly rankSeparation?: number | undefined;
  readonly margin?: number | undefined;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Node centre (`x`, `y`) and size, in px. */
export interface PlacedNode {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  readonly points: readonly Point[];
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

/** What this module uses of dagre's graph, typed. */
interface DagreGraph {
  setGraph(label: Record<string, unknown>): void;
  setDefaultEdgeLabel(make: () => Record<string, unknown>): void;
  setNode(id: string, label: { width: number; height: number }): void;
  setEdge(from: string, to: string, label?: Record<string, unknown>): void;
  node(id: string): { x: number; y: number; width: number; height: number };
  edge(from: string, to: string): { points?: Point[] } | undefined;
  graph(): { width?: number; height?: number };
}
interface DagreApi {
  graphlib: { Graph: new (options?: { multigraph?: boolean; compound?: boolean }) => DagreGraph };
  layout(graph: DagreGraph): void;
}
const api = dagre as unknown as DagreApi;

/**
 * Lays out a directed graph with dagre's layered (Sugiyama) layout. Edges are drawn from `from` to `to`; cycles are
 * allowed (dagre reverses edges internally). Cost grows quickly with size (about 2 s for 500 random nodes on the
 * benchmark machine), so callers keep inputs small — see `createGraphView`'s size limit.
 */
export function layoutGraph(
  nodes: readonly LayoutNodeInput[],
  edges: readonly LayoutEdgeInput[],
  options: LayoutOptions = {},
): Layout {
  const g = new api.graphlib.Graph();
  const margin = options.margin ?? 16;
  g.setGraph({
    rankdir: options.direction ?? "TB",
    nodesep: options.nodeSeparation ?? 24,
    ranksep: options.rankSeparation ?? 40,
    marginx: margin,
    marginy: margin,
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.width, height: n.height });
  for (const e of edges) g.setEdge(e.from, e.to);
  api.layout(g);
  const placed = nodes.map((n) => {
    const p = g.node(n.id);
    return { id: n.id, x: p.x, y: p.y, width: n.width, height: n.height };
  });
  const placedEdges = edges.map((e) => ({
    from: e.from,
    to: e.to,
    points: [...(g.edge(e.from, e.to)?.points ?? [])],
  }));
  const size = g.graph();
  return { width: size.width ?? 0, height: size.height ?? 0, nodes: placed, edges: placedEdges };
}
