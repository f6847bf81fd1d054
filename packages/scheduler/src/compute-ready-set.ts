import type { TaskStatus } from "@weft/core-schema";

/** The fields of a task that readiness depends on. */
export interface ReadyInput {
  readonly task_id: string;
  readonly dependencies: readonly string[];
}

/**
 * The tasks that may move pending → queued now (SM-DEF-001 guard "all dependencies completed"), and those that must
 * move pending → blocked (a dependency ended failed, cancelled or blocked). Pure; the engine keeps the same answer
 * incrementally with per-task counters.
 */
export function computeReadySet(
  tasks: readonly ReadyInput[],
  statusOf: (taskId: string) => TaskStatus | undefined,
): { readonly ready: readonly string[]; readonly blocked: readonly string[] } {
  const ready: string[] = [];
  const blocked: string[] = [];
  for (const t of tasks) {
    if (statusOf(t.task_id) !== "pending") continue;
    let all = true;
    let dead = false;
    for (const d of t.dependencies) {
      const s = statusOf(d);
      if (s === "failed" || s === "cancelled" || s === "blocked") dead = true;
      if (s !== "completed") all = false;
    }
    if (dead) blocked.push(t.task_id);
    else if (all) ready.push(t.task_id);
  }
  return { ready, blocked };
}

/**
 * Longest remaining weighted path from each task (its own estimate included), over dependency edges inside one
 * workstream (SPEC §8). Returns a map id → seconds. Throws a plain Error on a cycle (callers detect cycles first).
 */
export function computeRemainingPaths(
  tasks: readonly ReadyInput[],
  estimate: (taskId: string) => number,
): Map<string, number> {
  const dependents = new Map<string, string[]>();
  const indeg = new Map<string, number>();
  const ids = new Set(tasks.map((t) => t.task_id));
  for (const t of tasks) {
    indeg.set(t.task_id, 0);
    dependents.set(t.task_id, []);
  }
  for (const t of tasks) {
    for (const d of t.dependencies) {
      if (!ids.has(d)) continue;
      dependents.get(d)!.push(t.task_id);
      indeg.set(t.task_id, indeg.get(t.task_id)! + 1);
    }
  }
  const order: string[] = [];
  for (const [id, n] of indeg) if (n === 0) order.push(id);
  for (let i = 0; i < order.length; i++) {
    for (const w of dependents.get(order[i]!)!) {
      const n = indeg.get(w)! - 1;
      indeg.set(w, n);
      if (n === 0) order.push(w);
    }
  }
  if (order.length < tasks.length) throw new Error("computeRemainingPaths: the graph has a cycle");
  const remaining = new Map<string, number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i]!;
    let best = 0;
    for (const w of dependents.get(v)!) best = Math.max(best, remaining.get(w)!);
    remaining.set(v, best + estimate(v));
  }
  return remaining;
}

/** Cycles among tasks (each as the ids on it, in dependency order), or [] (Dependency-Cycle, SPEC §8). */
export function findTaskCycles(tasks: readonly ReadyInput[]): string[][] {
  const deps = new Map(tasks.map((t) => [t.task_id, t.dependencies.filter((d) => d !== t.task_id)]));
  const color = new Map<string, 0 | 1 | 2>();
  const cycles: string[][] = [];
  const stack: string[] = [];
  const visit = (v: string): void => {
    color.set(v, 1);
    stack.push(v);
    for (const d of deps.get(v) ?? []) {
      if (!deps.has(d)) continue;
      const c = color.get(d) ?? 0;
      if (c === 0) visit(d);
      else if (c === 1) cycles.push(stack.slice(stack.indexOf(d)).reverse());
    }
    stack.pop();
    color.set(v, 2);
  };
  for (const t of [...deps.keys()].sort()) if ((color.get(t) ?? 0) === 0) visit(t);
  return cycles;
}
