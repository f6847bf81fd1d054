import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REQUIREMENTS } from "../src/requirements.js";
import { validateRepo } from "../src/validate-repo.js";
import { listBrokenCases, materializeCase } from "./helpers/broken-cases.js";
import { makeCleanRepo } from "./helpers/make-clean-repo.js";

const cases = listBrokenCases();
let root: string;
let template: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "weft-validators-broken-"));
  template = join(root, "clean");
  await makeCleanRepo(template);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the broken-repo corpus (test/fixtures/broken)", () => {
  it("covers every requirement ID, with several cases for TASK-DEF, STATE-OBS and DAG-VIEW", () => {
    const covered = new Map<string, number>();
    for (const c of cases)
      for (const e of c.expect) covered.set(e.requirement, (covered.get(e.requirement) ?? 0) + 1);
    for (const r of REQUIREMENTS) expect(covered.get(r.id) ?? 0, r.id).toBeGreaterThanOrEqual(1);
    for (const id of ["TASK-DEF-001", "TASK-DEF-002", "DAG-VIEW-001", "DAG-VIEW-002", "DAG-VIEW-003"]) {
      expect(covered.get(id) ?? 0, id).toBeGreaterThanOrEqual(2);
    }
    for (const id of [
      "STATE-OBS-001",
      "STATE-OBS-002",
      "STATE-OBS-003",
      "STATE-OBS-004",
      "STATE-OBS-005",
      "STATE-OBS-006",
    ]) {
      expect(covered.get(id) ?? 0, id).toBeGreaterThanOrEqual(2);
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const dir = join(root, c.name);
    materializeCase(template, c, dir);
    const report = await validateRepo({ cwd: dir, scopes: c.scope ?? ["all"], docsDir: c.docs });
    for (const e of c.expect) {
      const result = report.results.find((r) => r.id === e.requirement);
      expect(result, `${e.requirement} reported`).toBeDefined();
      expect(result!.status).toBe(e.level === "error" ? "FAIL" : "WARN");
      const at = result!.violations.map((v) => `${v.level} ${v.file}:${v.line}:${v.column}`);
      expect(at).toContain(`${e.level} ${e.file}:${e.line}:${e.column}`);
      const v = result!.violations.find(
        (x) => x.file === e.file && x.line === e.line && x.column === e.column,
      )!;
      expect(v.message.length).toBeGreaterThan(10);
      expect(v.fix.length).toBeGreaterThan(10);
    }
    // A warning never fails the run; an error always does (other requirements may fail too in a broken repo).
    if (c.expect.some((e) => e.level === "error")) expect(report.exitCode).toBe(1);
  });
});
