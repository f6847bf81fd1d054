import { describe, expect, it } from "vitest";
import { repoOf, runMemory, task, tempDir } from "./helpers.js";

describe("scheduling order (SPEC §8 decision): longest remaining critical path, then priority, then id", () => {
  it("starts the head of the longest chain first, then higher priority, then lower id", async () => {
    const dir = tempDir();
    const tasks = [
      task("z-short", "ws", { estimated_duration_seconds: 1, priority: 100 }),
      task("b-head", "ws", { estimated_duration_seconds: 10 }),
      task("b-mid", "ws", { estimated_duration_seconds: 10, dependencies: ["b-head"] }),
      task("b-tail", "ws", { estimated_duration_seconds: 10, dependencies: ["b-mid"] }),
      task("p-low", "ws", { estimated_duration_seconds: 1, priority: 1 }),
      task("a-low", "ws", { estimated_duration_seconds: 1, priority: 1 }),
    ];
    const { store } = await runMemory(repoOf({ tasks }), dir, { workers: 1 });
    const started = store.events
      .filter((e) => e.entity_type === "task" && e.to_state === "running")
      .map((e) => e.entity_id);
    expect(started[0]).toBe("b-head");
    // after b-head: b-mid (remaining 20) beats z-short (1, priority 100); then b-tail (10)
    expect(started.slice(1, 3)).toEqual(["b-mid", "b-tail"]);
    expect(started.slice(3)).toEqual(["z-short", "a-low", "p-low"]);
  });
});
