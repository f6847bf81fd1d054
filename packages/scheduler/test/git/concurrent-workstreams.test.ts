import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createWorkspaceManager } from "../../src/git/index.js";
import { countingRunGit, createTestRepo, sh, type TestRepo } from "./git-fixture.js";

// Several workstreams at once against one repository (the engine runs them in parallel): no git lock errors,
// every merge lands, the user's checked-out target stays clean.
describe("concurrent workstreams on one repository", () => {
  let repo: TestRepo;
  afterEach(() => repo.cleanup());

  it("prepares, commits and merges three workstreams in parallel", async () => {
    repo = await createTestRepo();
    const manager = createWorkspaceManager({ repoRoot: repo.root, runGit: countingRunGit().runGit });
    const ids = ["w1", "w2", "w3"];
    const prepared = await Promise.all(ids.map((id) => manager.prepare({ workstream_id: id })));
    await Promise.all(
      prepared.map(async (p, i) => {
        for (const step of [1]) {
          await writeFile(join(p.path, `${ids[i]}-${step}.txt`), `${step}\n`);
          await manager.commitTaskChanges(p.path, { task_id: `${ids[i]}-t${step}`, name: `step ${step}` });
        }
      }),
    );
    const results = await Promise.all(
      ids.map((id, i) => manager.merge(id, { target: "main", strategy: i % 2 === 0 ? "merge" : "squash" })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    for (const id of ids) expect(await readFile(join(repo.root, `${id}-1.txt`), "utf8")).toBe("1\n");
    expect(await sh(repo.root, "status", "--porcelain")).toBe("");
    const removed = await Promise.all(
      ids.map((id) => manager.remove(id, { target: "main", completed: true })),
    );
    expect(removed.every((r) => r.removedWorktree && r.deletedBranch)).toBe(true);
    expect(await sh(repo.root, "branch", "--list", "weft/*")).toBe("");
    expect(
      (await sh(repo.root, "log", "--format=%(trailers:key=Weft-Task,valueonly)", "main"))
        .split("\n")
        .filter(Boolean)
        .sort(),
    ).toEqual(["w1-t1", "w3-t1"]);
  });
});
