import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  analyzeGraph,
  buildTaskGraphs,
  compileResources,
  type PlanResource,
  simulateSchedule,
} from "../src/index.js";
import { dagArbitrary } from "./arbitraries.js";

const registry: PlanResource[] = [
  { ResourceId: "db", Type: "shared", MaxHolders: 2, Metadata: { ConflictsWith: ["migrations"] } },
  { ResourceId: "migrations", Type: "exclusive", MaxHolders: 1 },
  { ResourceId: "gpu", Type: "pooled", MaxHolders: 3 },
  { ResourceId: "api", Type: "rate_limited", MaxHolders: 2, RefillRate: "6/minute" },
];
const requestArb = fc.oneof(
  fc.constant({}),
  fc.constant({ db: "shared" as const }),
  fc.constant({ db: "exclusive" as const }),
  fc.constant({ migrations: "exclusive" as const }),
  fc.record({ gpu: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ api: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ db: fc.constant("shared" as const), gpu: fc.integer({ min: 1, max: 2 }) }),
);

describe("makespan simulation with resources (CONC-REG-002)", () => {
  it("never over-commits a resource, respects edges and workers, and is at least the lower bounds", () => {
    fc.assert(
      fc.property(
        dagArbitrary(30, { zeroDurations: false }),
        fc.array(requestArb, { minLength: 30, maxLength: 30 }),
        fc.integer({ min: 1, max: 4 }),
        (dag, requests, workers) => {
          const tasks = dag.tasks.map((t, i) => ({ ...t, resource_requirements: requests[i]! }));
          const graph = buildTaskGraphs(tasks).graphs[0]!;
          const durations = Float64Array.from(graph.tasks, (t) => t.estimated_duration_seconds!);
          const analysis = analyzeGraph(graph, durations);
          const { resources, issues } = compileResources("ws", graph.tasks, registry);
          expect(issues).toEqual([]);
          const s = simulateSchedule({ graph, durations, remaining: analysis.remaining, workers, resources });
          const n = graph.size;
          const eps = 1e-9;
          expect(s.makespan).toBeGreaterThanOrEqual(analysis.criticalPathDuration - eps);
          expect(s.makespan).toBeGreaterThanOrEqual(durations.reduce((a, b) => a + b, 0) / workers - eps);
          for (const [a, b] of dag.edges) {
            expect(s.start[graph.indexOf.get(b)!]!).toBeGreaterThanOrEqual(
              s.finish[graph.indexOf.get(a)!]! - eps,
            );
          }
          // At every start instant, the running set satisfies every resource rule.
          for (let v = 0; v < n; v++) {
            const t = s.start[v]!;
            const running = [...Array(n).keys()].filter((w) => s.start[w]! <= t && s.finish[w]! > t);
            expect(running.length).toBeLessThanOrEqual(workers);
            const reqs = running.map((w) => graph.tasks[w]!.resource_requirements ?? {});
            const holders = (id: string) => reqs.filter((r) => id in r);
            const exclusive = (id: string) =>
              reqs.filter((r) => (r as Record<string, unknown>)[id] === "exclusive").length;
            expect(holders("db").length).toBeLessThanOrEqual(2);
            if (exclusive("db") > 0) expect(holders("db").length).toBe(1);
            expect(holders("migrations").length).toBeLessThanOrEqual(1);
            // db and migrations conflict: an exclusive holder of either excludes every holder of the other.
            if (exclusive("db") > 0 || exclusive("migrations") > 0)
              expect(holders("db").length + holders("migrations").length).toBe(1);
            const gpu = reqs.reduce(
              (acc, r) => acc + (((r as Record<string, number>).gpu as number | undefined) ?? 0),
              0,
            );
            expect(gpu).toBeLessThanOrEqual(3);
          }
          // Token bucket: starting full (2 tokens), refilled 0.1 token/s, never overdrawn.
          const apiStarts = [...Array(n).keys()]
            .filter((v) => (graph.tasks[v]!.resource_requirements as Record<string, number> | undefined)?.api)
            .map((v) => ({
              t: s.start[v]!,
              tokens: (graph.tasks[v]!.resource_requirements as Record<string, number>).api!,
            }))
            .sort((a, b) => a.t - b.t);
          let tokens = 2;
          let last = 0;
          for (const { t, tokens: need } of apiStarts) {
            tokens = Math.min(2, tokens + (t - last) * 0.1);
            last = t;
            expect(tokens + 1e-6).toBeGreaterThanOrEqual(need);
            tokens -= need;
          }
        },
      ),
      { seed: 424242, numRuns: 250 },
    );
  });
});
