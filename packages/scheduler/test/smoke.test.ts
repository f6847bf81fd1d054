import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoOf, runMemory, task, tempDir } from "./helpers.js";

describe("engine smoke", () => {
  it("runs a small DAG in dependency order with isolation none", async () => {
    const dir = tempDir();
    const tasks = [
      task("a", "ws1", { command: "echo a >> order.txt" }),
      task("b", "ws1", { command: "echo b >> order.txt", dependencies: ["a"] }),
      task("c", "ws1", { command: "echo c >> order.txt", dependencies: ["a"] }),
      task("d", "ws1", { command: "echo d >> order.txt", dependencies: ["b", "c"] }),
    ];
    const { store, summary } = await runMemory(repoOf({ tasks }), dir);
    expect(summary.status).toBe("completed");
    const order = readFileSync(join(dir, "order.txt"), "utf8").trim().split("\n");
    expect(order[0]).toBe("a");
    expect(order[3]).toBe("d");
    expect(store.model.workstreams.get("ws1")?.status).toBe("completed");
    expect([...store.model.tasks.values()].every((t) => t.status === "completed")).toBe(true);
  });
});
