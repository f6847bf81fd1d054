import { analyzeGraph } from "./analyze-graph.js";
import { compareIds } from "./build-task-graphs.js";
import type { DagIssue } from "./dag-issue.js";
import { findCycles } from "./find-cycles.js";
import { buildCsr } from "./internal/csr.js";
import type { PlanWorkstream } from "./plan-task.js";
import type { IndexedGraph } from "./task-graph.js";

export interface WorkstreamGraph {
  readonly graph: IndexedGraph;
  /** Prerequisites first; ties by priority, then id. Empty when there is a cycle. */
  readonly order: readonly string[];
  readonly cycles: readonly (readonly string[])[];
  readonly issues: readonly DagIssue[];
}

/**
 * The graph of workstreams from `depends_on` in `_workstream.json` (SPEC §3/§5): unknown workstream ids are errors,
 * cycles are critical (`dependency_cycle_detected`), each reported as the ordered list of workstream ids.
 * `extraIds` are workstreams that exist (they have tasks) without a definition.
 */
export function buildWorkstreamGraph(
  workstreams: readonly PlanWorkstream[],
  extraIds: readonly string[] = [],
): WorkstreamGraph {
  const issues: DagIssue[] = [];
  const defs = new Map<string, PlanWorkstream>();
  for (const w of workstreams) if (!defs.has(w.workstream_id)) defs.set(w.workstream_id, w);
  const ids = [...new Set([...defs.keys(), ...extraIds])].sort(compareIds);
  const index = new Map(ids.map((id, i) => [id, i] as const));
  const from: number[] = [];
  const to: number[] = [];
  for (const id of ids) {
    const def = defs.get(id);
    for (const dep of new Set(def?.depends_on ?? [])) {
      const u = index.get(dep);
      if (u === undefined) {
        issues.push({
          kind: "unknown_workstream",
          severity: "error",
          code: "DAG_UNKNOWN_DEPENDENCY",
          message: `workstream ${id} depends_on ${dep}, which is not a workstream`,
          hint: `create tasks/${dep}/ or remove "${dep}" from depends_on in tasks/${id}/_workstream.json`,
          workstream_id: id,
        });
        continue;
      }
      from.push(u);
      to.push(index.get(id)!);
    }
  }
  const m = from.length;
  const f = Int32Array.from(from);
  const t = Int32Array.from(to);
  const graph: IndexedGraph = {
    size: ids.length,
    edgeCount: m,
    ids,
    succ: buildCsr(ids.length, f, t, m),
    pred: buildCsr(ids.length, t, f, m),
  };
  const cycles = findCycles(graph).map((c) => c.map((v) => ids[v]!));
  for (const cycle of cycles) {
    issues.push({
      kind: "workstream_cycle",
      severity: "critical",
      code: "DAG_CYCLE",
      event: "dependency_cycle_detected",
      message: `workstream cycle: ${[...cycle, cycle[0]].join(" → ")} (each depends_on the next)`,
      hint: "remove one depends_on entry of this cycle",
      workstream_id: cycle[0],
      cycle,
    });
  }
  let order: string[] = [];
  if (cycles.length === 0) {
    const priorities = Float64Array.from(ids, (id) => defs.get(id)?.priority ?? 0);
    const analysis = analyzeGraph(graph, new Float64Array(ids.length), priorities);
    order = Array.from(analysis.order, (v) => ids[v]!);
  }
  return { graph, order, cycles, issues };
}
