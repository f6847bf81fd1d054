import { compareIds } from "./build-task-graphs.js";
import { kahnOrder } from "./internal/kahn-order.js";
import type { IndexedGraph } from "./task-graph.js";

/**
 * Finds every cycle class of the graph: one cycle per strongly connected component that has more than one node
 * or a self-edge (Tarjan, iterative, linear time). Each cycle is returned as node indices in dependency order —
 * each node depends on the next, the last on the first — starting at the component's smallest id, and it is the
 * shortest cycle through that node, so it is a real cycle of the graph (DAG-VIEW-003, `dependency_cycle_detected`).
 * Cycles are sorted by their first id. Returns `[]` for a DAG.
 */
export function findCycles(graph: IndexedGraph): number[][] {
  if (isAcyclic(graph)) return [];
  const components = stronglyConnectedComponents(graph);
  const cycles: number[][] = [];
  const inComponent = new Int32Array(graph.size).fill(-1);
  for (let c = 0; c < components.length; c++) {
    const comp = components[c]!;
    if (comp.length === 1 && !hasSelfEdge(graph, comp[0]!)) continue;
    for (const v of comp) inComponent[v] = c;
    let start = comp[0]!;
    for (const v of comp) if (compareIds(graph.ids[v]!, graph.ids[start]!) < 0) start = v;
    cycles.push(shortestCycleThrough(graph, start, c, inComponent));
  }
  cycles.sort((a, b) => compareIds(graph.ids[a[0]!]!, graph.ids[b[0]!]!));
  return cycles;
}

/** Kahn's check: true when every node can be ordered (cheaper than Tarjan, so DAGs pay only this). */
export function isAcyclic(graph: IndexedGraph): boolean {
  return kahnOrder(graph).complete;
}

function hasSelfEdge(graph: IndexedGraph, v: number): boolean {
  const { offsets, targets } = graph.succ;
  for (let k = offsets[v]!; k < offsets[v + 1]!; k++) if (targets[k] === v) return true;
  return false;
}

/** BFS from `start` along prerequisite links inside its component until a prerequisite path returns to it. */
function shortestCycleThrough(
  graph: IndexedGraph,
  start: number,
  comp: number,
  inComponent: Int32Array,
): number[] {
  const { offsets, targets } = graph.pred;
  const parent = new Map<number, number>([[start, -1]]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    // Neighbours in id order, so the cycle found is the same on every run.
    const next: number[] = [];
    for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
      const u = targets[k]!;
      if (inComponent[u] === comp) next.push(u);
    }
    next.sort((a, b) => compareIds(graph.ids[a]!, graph.ids[b]!));
    for (const u of next) {
      if (u === start) {
        const path: number[] = [];
        for (let x = v; x !== -1; x = parent.get(x)!) path.push(x);
        return path.reverse();
      }
      if (!parent.has(u)) {
        parent.set(u, v);
        queue.push(u);
      }
    }
  }
  throw new Error("shortestCycleThrough: the component has no cycle through its start node");
}

/** Tarjan's algorithm without recursion; components come out in reverse topological order. */
export function stronglyConnectedComponents(graph: IndexedGraph): number[][] {
  const n = graph.size;
  const { offsets, targets } = graph.succ;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  let next = 0;
  const components: number[][] = [];
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    callNode[0] = root;
    callEdge[0] = offsets[root]!;
    index[root] = low[root] = next++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callNode[depth]!;
      const k = callEdge[depth]!;
      if (k < offsets[v + 1]!) {
        callEdge[depth] = k + 1;
        const w = targets[k]!;
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack[sp++] = w;
          onStack[w] = 1;
          depth++;
          callNode[depth] = w;
          callEdge[depth] = offsets[w]!;
        } else if (onStack[w] && index[w]! < low[v]!) {
          low[v] = index[w]!;
        }
        continue;
      }
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack[--sp]!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        components.push(comp);
      }
      depth--;
      if (depth >= 0) {
        const parent = callNode[depth]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
    }
  }
  return components;
}
