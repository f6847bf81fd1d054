import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { validateRepo } from "../src/validate-repo.js";

// weft's own CI runs the docs validators on weft's own docs/ and package entry modules (ERR-FM, EXEC-DOC,
// SCHEMA-VER-002, AUDIT-002, MOD-IDX-001): no requirement may FAIL (a WARN, e.g. an export not named in a
// module header, is allowed).
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

describe("weft's own documentation", () => {
  it("passes `weft validate docs`", async () => {
    const report = await validateRepo({ cwd: repoRoot, scopes: ["docs"] });
    const failed = report.results.filter((r) => r.status === "FAIL");
    expect(
      failed.map(
        (r) =>
          `${r.id}: ${r.violations.map((v) => `${v.file}:${v.line}:${v.column} ${v.message}`).join("; ")}`,
      ),
    ).toEqual([]);
    expect(report.results.find((r) => r.id === "ERR-FM-002")?.status).toBe("PASS");
  });
});
