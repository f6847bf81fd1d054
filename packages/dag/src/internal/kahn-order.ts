import type { IndexedGraph } from "../task-graph.js";

/**
 * Kahn's algorithm with a flat queue: some topological order of the graph's nodes. `complete` is false when a
 * cycle keeps some nodes out (they are then missing from `order`).
 */
export function kahnOrder(graph: IndexedGraph): { readonly order: Int32Array; readonly complete: boolean } {
  const n = graph.size;
  const { offsets: so, targets: st } = graph.succ;
  const po = graph.pred.offsets;
  const indeg = new Int32Array(n);
  const order = new Int32Array(n);
  let tail = 0;
  for (let v = 0; v < n; v++) {
    indeg[v] = po[v + 1]! - po[v]!;
    if (indeg[v] === 0) order[tail++] = v;
  }
  for (let head = 0; head < tail; head++) {
    const v = order[head]!;
    for (let k = so[v]!; k < so[v + 1]!; k++) {
      const w = st[k]!;
      const d = indeg[w]! - 1;
      indeg[w] = d;
      if (d === 0) order[tail++] = w;
    }
  }
  return { order, complete: tail === n };
}
