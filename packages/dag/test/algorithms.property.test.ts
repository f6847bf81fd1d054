import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeGraph, buildTaskGraphs, computePlans, findCycles, simulateSchedule } from "../src/index.js";
import { dagArbitrary, longestPathBruteForce, type RandomDag } from "./arbitraries.js";

const SEED = 20260131;
const at = "2026-01-31T12:00:00.000Z";

function analyze(dag: RandomDag) {
  const { graphs, issues } = buildTaskGraphs(dag.tasks);
  expect(issues).toEqual([]);
  const graph = graphs[0]!;
  const durations = Float64Array.from(graph.tasks, (t) => t.estimated_duration_seconds!);
  const priorities = Float64Array.from(graph.tasks, (t) => t.priority ?? 0);
  return { graph, durations, priorities, analysis: analyzeGraph(graph, durations, priorities) };
}

describe("DAG algorithms (property tests, fast-check)", () => {
  it("the topological order respects every edge and lists every task once (DAG-VIEW-001)", () => {
    fc.assert(
      fc.property(dagArbitrary(60), (dag) => {
        const { graph, analysis } = analyze(dag);
        const pos = new Map(Array.from(analysis.order, (v, i) => [graph.ids[v]!, i] as const));
        expect(pos.size).toBe(dag.tasks.length);
        for (const [a, b] of dag.edges) expect(pos.get(a)!).toBeLessThan(pos.get(b)!);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("the order does not depend on the order the task files were listed in", () => {
    fc.assert(
      fc.property(dagArbitrary(30), fc.integer(), (dag, salt) => {
        const shuffled = [...dag.tasks].sort(
          (a, b) =>
            ((a.task_id.length * 31 + salt) % 7) - ((b.task_id.length * 31 + salt) % 7) ||
            (a.task_id < b.task_id ? 1 : -1),
        );
        const one = computePlans(dag.tasks, { workers: 2, generatedAt: at }).workstreams[0]!;
        const two = computePlans(shuffled, { workers: 2, generatedAt: at }).workstreams[0]!;
        expect(two.dag!.topological_order).toEqual(one.dag!.topological_order);
        expect(two.plan).toEqual(one.plan);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it("stages are minimal: a task is one stage after its latest prerequisite, stage 0 without any", () => {
    fc.assert(
      fc.property(dagArbitrary(60), (dag) => {
        const { graph, analysis } = analyze(dag);
        const stageOf = (id: string) => analysis.stage[graph.indexOf.get(id)!]!;
        for (const t of dag.tasks) {
          const deps = t.dependencies ?? [];
          const expected = deps.length === 0 ? 0 : Math.max(...deps.map((d) => stageOf(d) + 1));
          expect(stageOf(t.task_id)).toBe(expected);
        }
        expect(analysis.stageCount).toBe(Math.max(0, ...dag.tasks.map((t) => stageOf(t.task_id) + 1)));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("the critical path is a chain of edges whose length is the brute-force longest weighted path", () => {
    fc.assert(
      fc.property(dagArbitrary(9), (dag) => {
        const { graph, durations, analysis } = analyze(dag);
        const path = Array.from(analysis.criticalPath, (v) => graph.ids[v]!);
        const edgeSet = new Set(dag.edges.map(([a, b]) => `${a}>${b}`));
        for (let i = 0; i + 1 < path.length; i++) expect(edgeSet.has(`${path[i]}>${path[i + 1]}`)).toBe(true);
        const sum = Array.from(analysis.criticalPath).reduce((acc, v) => acc + durations[v]!, 0);
        const brute = longestPathBruteForce(dag);
        expect(analysis.criticalPathDuration).toBe(brute);
        expect(sum).toBe(brute);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("the makespan is a valid schedule, at least max(critical path, total work / workers)", () => {
    fc.assert(
      fc.property(dagArbitrary(60), fc.integer({ min: 1, max: 6 }), (dag, workers) => {
        const { graph, durations, priorities, analysis } = analyze(dag);
        const s = simulateSchedule({ graph, durations, remaining: analysis.remaining, priorities, workers });
        const total = durations.reduce((a, b) => a + b, 0);
        const eps = 1e-9;
        expect(s.makespan).toBeGreaterThanOrEqual(analysis.criticalPathDuration - eps);
        expect(s.makespan).toBeGreaterThanOrEqual(total / workers - eps);
        expect(s.makespan).toBeLessThanOrEqual(total + eps);
        for (const [a, b] of dag.edges) {
          expect(s.start[graph.indexOf.get(b)!]!).toBeGreaterThanOrEqual(
            s.finish[graph.indexOf.get(a)!]! - eps,
          );
        }
        // Never more than `workers` tasks of positive length at once.
        for (let v = 0; v < graph.size; v++) {
          const t = s.start[v]!;
          let running = 0;
          for (let w = 0; w < graph.size; w++)
            if (s.start[w]! <= t && s.finish[w]! > t && durations[w]! > 0) running++;
          expect(running).toBeLessThanOrEqual(workers);
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("a graph with an injected back edge reports a real cycle, in dependency order (DAG-VIEW-003)", () => {
    fc.assert(
      fc.property(
        dagArbitrary(25).filter((d) => d.edges.length > 0),
        fc.nat(),
        fc.nat(),
        (dag, pickEdge, hop) => {
          // Walk forward from an edge's source, then make the source depend on where the walk ended: a cycle.
          const succ = new Map<string, string[]>();
          for (const [a, b] of dag.edges) succ.set(a, [...(succ.get(a) ?? []), b]);
          const [start, first] = dag.edges[pickEdge % dag.edges.length]!;
          let end = first;
          for (let i = 0; i < hop % 4; i++) {
            const next = succ.get(end);
            if (!next || next.length === 0) break;
            end = next[i % next.length]!;
          }
          const tasks = dag.tasks.map((t) =>
            t.task_id === start ? { ...t, dependencies: [...(t.dependencies ?? []), end] } : t,
          );
          const { graphs } = buildTaskGraphs(tasks);
          const graph = graphs[0]!;
          const cycles = findCycles(graph).map((c) => c.map((v) => graph.ids[v]!));
          expect(cycles.length).toBeGreaterThan(0);
          const depends = new Map(tasks.map((t) => [t.task_id, new Set(t.dependencies ?? [])] as const));
          const involved = new Set<string>();
          for (const cycle of cycles) {
            expect(new Set(cycle).size).toBe(cycle.length);
            for (let i = 0; i < cycle.length; i++) {
              const next = cycle[(i + 1) % cycle.length]!;
              expect(depends.get(cycle[i]!)!.has(next)).toBe(true);
              involved.add(cycle[i]!);
            }
          }
          expect(involved.has(start)).toBe(true);
          const plan = computePlans(tasks, { workers: 2, generatedAt: at });
          expect(plan.ok).toBe(false);
          expect(plan.issues.find((i) => i.kind === "dependency_cycle")?.event).toBe(
            "dependency_cycle_detected",
          );
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});
