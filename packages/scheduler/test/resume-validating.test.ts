import { describe, expect, it } from "vitest";
import { createEngine } from "../src/create-engine.js";
import { createMemoryStateStore } from "../src/memory-state-store.js";
import { config, repoOf, task, tempDir, workstream } from "./helpers.js";

describe("resume: a workstream interrupted while validating finalizes on the next run", () => {
  it("runs final_validation and completes without re-running its tasks", async () => {
    const dir = tempDir();
    const store = createMemoryStateStore();
    const repo = repoOf({
      tasks: [task("a", "ws", { command: "echo run >> runs" })],
      workstreams: [workstream("ws", { final_validation: ["check"] })],
      config: config({ gates: { check: "test -f runs" } }),
    });
    const soft = new AbortController();
    const first = await createEngine({
      repo,
      repoRoot: dir,
      store,
      isolation: "none",
      signal: soft.signal,
      onEvent: (lines) => {
        if (lines.some((l) => l.event === "workstream_validating")) soft.abort();
      },
    }).run();
    expect(first.status).toBe("interrupted");
    expect(store.model.workstreams.get("ws")?.status).toBe("validating");
    const second = await createEngine({ repo, repoRoot: dir, store, isolation: "none" }).run();
    expect(second.status).toBe("completed");
    expect(store.events.filter((e) => e.entity_id === "a" && e.to_state === "running")).toHaveLength(1);
  });
});
