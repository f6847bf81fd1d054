import type { PlanTask } from "../src/index.js";

/**
 * A synthetic workstream like the benchmarks' (DESIGN §6): `n` tasks, about `m` edges, each task depending on
 * earlier tasks from a sliding window, random durations and priorities. Deterministic for a seed (mulberry32).
 */
export function generateLayered(n: number, m: number, seed = 42, window = 2000): PlanTask[] {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const ids = Array.from({ length: n }, (_, i) => `task-${String(i).padStart(6, "0")}`);
  const types = ["aider", "lint", "pytest", "custom"];
  const tasks: PlanTask[] = [];
  let made = 0;
  for (let i = 0; i < n; i++) {
    const deps = new Set<string>();
    if (i > 0) {
      const want = Math.min(i, Math.round((m - made) / (n - i)));
      const lo = Math.max(0, i - window);
      while (deps.size < want) deps.add(ids[lo + Math.floor(rand() * (i - lo))]!);
    }
    made += deps.size;
    tasks.push({
      task_id: ids[i]!,
      workstream_id: "bench",
      name: `synthetic task ${i}`,
      type: types[i % 4]!,
      status: "pending",
      dependencies: [...deps],
      blocks: [],
      priority: i % 3,
      estimated_duration_seconds: 1 + Math.floor(rand() * 300),
    });
  }
  return tasks;
}
