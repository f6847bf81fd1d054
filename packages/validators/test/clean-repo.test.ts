import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateRepo } from "../src/validate-repo.js";
import { makeCleanRepo } from "./helpers/make-clean-repo.js";

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "weft-validators-clean-"));
  await makeCleanRepo(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a clean repository (COMPLIANCE-001)", () => {
  it("passes every requirement of `all` (no FAIL, no WARN, no SKIP)", async () => {
    const report = await validateRepo({ cwd: dir, scopes: ["all"] });
    const notPass = report.results.filter((r) => r.status !== "PASS");
    expect(
      notPass.map((r) => ({ id: r.id, status: r.status, note: r.note, v: r.violations.slice(0, 3) })),
    ).toEqual([]);
    expect(report.exitCode).toBe(0);
    expect(report.results.length).toBe(32);
  });
});
