import { WeftError } from "@weft/core-schema";
import { findCycles } from "./find-cycles.js";
import { RankHeap } from "./internal/heap.js";
import { kahnOrder } from "./internal/kahn-order.js";
import type { IndexedGraph } from "./task-graph.js";

/** What {@link analyzeGraph} derives from an acyclic graph and per-node durations. */
export interface GraphAnalysis {
  /** Deterministic topological order (DAG-VIEW-001): ready nodes by longest remaining path, priority, id. */
  readonly order: Int32Array;
  /** Node → its position in `order`. */
  readonly position: Int32Array;
  /** Node → stage: the number of edges on the longest path reaching it (0 for nodes without prerequisites). */
  readonly stage: Int32Array;
  readonly stageCount: number;
  /** Node → longest weighted path starting at it, its own duration included ("remaining critical path"). */
  readonly remaining: Float64Array;
  /** The longest weighted chain, prerequisite first. */
  readonly criticalPath: Int32Array;
  /** The summed durations along `criticalPath`. */
  readonly criticalPathDuration: number;
  /** Node → priority as used for ordering (absent = 0). */
  readonly priorities: Float64Array;
  /** The ordering among ready nodes: true when `a` goes before `b` (remaining path, priority, id). */
  readonly before: (a: number, b: number) => boolean;
}

/**
 * Topological order, stages (longest-path levels), remaining path lengths and the critical path of an acyclic
 * graph, in O(V log V + E) with flat typed arrays (SPEC §8).
 *
 * `durations[v]` is node v's estimate in seconds (≥ 0); `priorities[v]` is its priority (higher first, absent 0).
 * Ties among ready nodes: longest remaining path first, then priority, then id (code-unit order).
 * Throws a `DAG_CYCLE` WeftError (details.cycles: id lists) when the graph has a cycle; call
 * {@link findCycles} first to report cycles as data.
 */
export function analyzeGraph(
  graph: IndexedGraph,
  durations: Float64Array,
  priorityArray?: Float64Array,
): GraphAnalysis {
  const kahn = kahnOrder(graph);
  if (!kahn.complete) {
    const cycles = findCycles(graph).map((c) => c.map((v) => graph.ids[v]!));
    throw new WeftError(
      "DAG_CYCLE",
      `the graph has ${cycles.length} cycle(s): ${cycles.map((c) => c.join(" → ")).join("; ")}`,
      {
        hint: "remove one dependency of each cycle",
        details: { cycles },
      },
    );
  }
  return analyzeOrderedGraph(graph, kahn.order, durations, priorityArray);
}

/**
 * {@link analyzeGraph} given some topological order `queue` of an acyclic graph (e.g. from a cycle check that
 * already ran Kahn's algorithm). `queue` is reused as the storage of the deterministic order.
 */
export function analyzeOrderedGraph(
  graph: IndexedGraph,
  queue: Int32Array,
  durations: Float64Array,
  priorityArray?: Float64Array,
): GraphAnalysis {
  const n = graph.size;
  const { offsets: so, targets: st } = graph.succ;
  const { offsets: po, targets: pt } = graph.pred;
  const indeg = new Int32Array(n);
  // 1. Stages forward, remaining path backward, along the given order.
  const stage = new Int32Array(n);
  let stageCount = n > 0 ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const v = queue[i]!;
    let s = 0;
    for (let k = po[v]!; k < po[v + 1]!; k++) {
      const p = stage[pt[k]!]! + 1;
      if (p > s) s = p;
    }
    stage[v] = s;
    if (s + 1 > stageCount) stageCount = s + 1;
  }
  const remaining = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const v = queue[i]!;
    let best = 0;
    for (let k = so[v]!; k < so[v + 1]!; k++) {
      const r = remaining[st[k]!]!;
      if (r > best) best = r;
    }
    remaining[v] = best + durations[v]!;
  }
  // 2. The deterministic order: Kahn again, ready nodes in a heap.
  const priorities = priorityArray ?? new Float64Array(n);
  const heap = new RankHeap(remaining, priorities, graph.ids, 1024);
  const before = (a: number, b: number): boolean => heap.before(a, b);
  for (let v = 0; v < n; v++) indeg[v] = po[v + 1]! - po[v]!;
  const sources: number[] = [];
  for (let v = 0; v < n; v++) {
    if (indeg[v] === 0) {
      heap.push(v);
      sources.push(v);
    }
  }
  const order = queue;
  const position = new Int32Array(n);
  let at = 0;
  while (heap.size > 0) {
    const v = heap.pop();
    position[v] = at;
    order[at++] = v;
    for (let k = so[v]!; k < so[v + 1]!; k++) {
      const w = st[k]!;
      const d = indeg[w]! - 1;
      indeg[w] = d;
      if (d === 0) heap.push(w);
    }
  }
  // 3. Critical path: from the best source, always to the successor with the longest remaining path.
  const path: number[] = [];
  let criticalPathDuration = 0;
  if (n > 0) {
    let v = sources[0]!;
    for (const s of sources) if (before(s, v)) v = s;
    criticalPathDuration = remaining[v]!;
    for (;;) {
      path.push(v);
      let next = -1;
      for (let k = so[v]!; k < so[v + 1]!; k++) {
        const w = st[k]!;
        if (next === -1 || before(w, next)) next = w;
      }
      if (next === -1) break;
      v = next;
    }
  }
  return {
    order,
    position,
    stage,
    stageCount,
    remaining,
    criticalPath: Int32Array.from(path),
    criticalPathDuration,
    priorities,
    before,
  };
}
