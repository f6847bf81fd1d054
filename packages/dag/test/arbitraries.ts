import fc from "fast-check";
import type { PlanTask } from "../src/index.js";

export interface RandomDag {
  readonly tasks: PlanTask[];
  /** Edges as [prerequisite id, dependent id]. */
  readonly edges: [string, string][];
  readonly durations: Map<string, number>;
}

/**
 * A random DAG: `n` tasks with random ids, a hidden topological order, each forward pair an edge with some
 * probability, random durations (zero included) and priorities, tasks listed in a random order.
 */
export function dagArbitrary(
  maxNodes: number,
  options: { zeroDurations?: boolean } = {},
): fc.Arbitrary<RandomDag> {
  return fc
    .integer({ min: 1, max: maxNodes })
    .chain((n) =>
      fc.record({
        ids: fc
          .uniqueArray(fc.integer({ min: 0, max: 99_999 }), { minLength: n, maxLength: n })
          .map((xs) => xs.map((x) => `t${x.toString(36)}`)),
        density: fc.double({ min: 0, max: 0.6, noNaN: true }),
        edgeSeed: fc.integer({ min: 1, max: 0x7fffffff }),
        durations: fc.array(fc.integer({ min: options.zeroDurations === false ? 1 : 0, max: 100 }), {
          minLength: n,
          maxLength: n,
        }),
        priorities: fc.array(fc.integer({ min: -2, max: 2 }), { minLength: n, maxLength: n }),
        listing: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      }),
    )
    .map(({ ids, density, edgeSeed, durations, priorities, listing }) => {
      const n = ids.length;
      const deps: string[][] = ids.map(() => []);
      const edges: [string, string][] = [];
      // Edge coin flips from a small PRNG (mulberry32) seeded by fast-check: cheap to generate for dense graphs.
      let state = edgeSeed >>> 0;
      const coin = (): number => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = Math.imul(state ^ (state >>> 15), state | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      for (let a = 0; a < n; a++) {
        for (let b = a + 1; b < n; b++) {
          if (coin() < density) {
            deps[b]!.push(ids[a]!);
            edges.push([ids[a]!, ids[b]!]);
          }
        }
      }
      const tasks: PlanTask[] = listing.map((i) => ({
        task_id: ids[i]!,
        workstream_id: "ws",
        name: `task ${ids[i]}`,
        type: "custom",
        dependencies: deps[i]!,
        priority: priorities[i]!,
        estimated_duration_seconds: durations[i]!,
      }));
      return { tasks, edges, durations: new Map(ids.map((id, i) => [id, durations[i]!] as const)) };
    });
}

/** Brute force: the longest weighted path of a small DAG, by trying every path from every node. */
export function longestPathBruteForce(dag: RandomDag): number {
  const succ = new Map<string, string[]>();
  for (const [a, b] of dag.edges) succ.set(a, [...(succ.get(a) ?? []), b]);
  let best = 0;
  const walk = (v: string, acc: number): void => {
    const total = acc + dag.durations.get(v)!;
    if (total > best) best = total;
    for (const w of succ.get(v) ?? []) walk(w, total);
  };
  for (const t of dag.tasks) walk(t.task_id, 0);
  return best;
}
