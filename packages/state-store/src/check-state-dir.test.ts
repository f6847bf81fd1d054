import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { taskDraft, tmpStateDir } from "../test/helpers.js";
import { checkStateDir } from "./check-state-dir.js";
import { openStateStore } from "./open-state-store.js";
import { statePaths } from "./state-paths.js";

describe("checkStateDir (weft validate state, COMPLIANCE-001)", () => {
  it("passes a clean state and reports each problem with its requirement, file and hint", async () => {
    const dir = tmpStateDir();
    expect((await checkStateDir(dir))[0]).toMatchObject({ requirement: "STATE-OBS-001", severity: "error" });
    const { store } = await openStateStore({ stateDir: dir });
    store.commit([taskDraft("a", "queued"), taskDraft("b", "running", { worker_id: "w" })]);
    await store.close();
    expect(await checkStateDir(dir)).toEqual([]);
    const p = statePaths(dir);
    writeFileSync(`${p.current}.tmp`, "{");
    writeFileSync(p.byStatus, JSON.stringify({ schema_version: "1.0.0" }));
    const issues = await checkStateDir(dir);
    expect(issues.map((i) => i.requirement).sort()).toEqual(["STATE-OBS-003", "STATE-OBS-005"]);
    expect(issues.find((i) => i.requirement === "STATE-OBS-003")?.hint).toMatch(/next `weft run` removes it/);
  });
});
