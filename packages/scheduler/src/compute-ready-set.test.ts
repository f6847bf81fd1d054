import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeReadySet, computeRemainingPaths, findTaskCycles } from "./compute-ready-set.js";

describe("computeReadySet (SM-DEF-001 guard: all dependencies completed)", () => {
  it("pending tasks with completed deps are ready; a failed dep blocks", () => {
    const tasks = [
      { task_id: "a", dependencies: [] },
      { task_id: "b", dependencies: ["a"] },
      { task_id: "c", dependencies: ["x"] },
      { task_id: "d", dependencies: ["b"] },
    ];
    const status: Record<string, string> = {
      a: "completed",
      b: "pending",
      c: "pending",
      x: "failed",
      d: "pending",
    };
    const r = computeReadySet(tasks, (id) => status[id] as never);
    expect(r.ready).toEqual(["b"]);
    expect(r.blocked).toEqual(["c"]);
  });
  it("property: a ready task never has an unfinished dependency", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("pending", "completed", "failed", "running"), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.integer(),
        (statuses, seed) => {
          const tasks = statuses.map((_, i) => ({
            task_id: `t${i}`,
            dependencies: i === 0 ? [] : [`t${Math.abs(seed + i) % i}`],
          }));
          const st = (id: string) => statuses[Number(id.slice(1))] as never;
          const r = computeReadySet(tasks, st);
          for (const id of r.ready) {
            const t = tasks.find((x) => x.task_id === id)!;
            expect(st(id)).toBe("pending");
            for (const d of t.dependencies) expect(st(d)).toBe("completed");
          }
        },
      ),
    );
  });
});

describe("computeRemainingPaths / findTaskCycles (SPEC §8, Dependency-Cycle)", () => {
  it("remaining path includes the task's own estimate and its longest chain", () => {
    const tasks = [
      { task_id: "a", dependencies: [] },
      { task_id: "b", dependencies: ["a"] },
      { task_id: "c", dependencies: ["a"] },
      { task_id: "d", dependencies: ["c"] },
    ];
    const r = computeRemainingPaths(tasks, (id) => ({ a: 1, b: 10, c: 2, d: 3 })[id]!);
    expect(r.get("a")).toBe(11);
    expect(r.get("c")).toBe(5);
  });
  it("reports the tasks on a cycle, in order", () => {
    const cycles = findTaskCycles([
      { task_id: "a", dependencies: ["c"] },
      { task_id: "b", dependencies: ["a"] },
      { task_id: "c", dependencies: ["b"] },
      { task_id: "d", dependencies: [] },
    ]);
    expect(cycles).toHaveLength(1);
    expect([...cycles[0]!].sort()).toEqual(["a", "b", "c"]);
    expect(() =>
      computeRemainingPaths(
        [
          { task_id: "a", dependencies: ["a2"] },
          { task_id: "a2", dependencies: ["a"] },
        ],
        () => 1,
      ),
    ).toThrow(/cycle/);
  });
});
