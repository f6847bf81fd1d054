import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReport } from "../src/render-report.js";
import { validateRepo } from "../src/validate-repo.js";
import type { ValidationReport } from "../src/validation-report.js";
import { listBrokenCases, materializeCase } from "./helpers/broken-cases.js";
import { makeCleanRepo } from "./helpers/make-clean-repo.js";

const require = createRequire(import.meta.url);
/** Ajv for JSON Schema draft-04 (the SARIF schema's draft); a CommonJS module whose export is the class. */
const Ajv = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
/** The SARIF 2.1.0 JSON schema as shipped by @microsoft/jest-sarif (draft-04). */
const sarifSchema = JSON.parse(
  readFileSync(
    join(
      require.resolve("@microsoft/jest-sarif/package.json"),
      "..",
      "lib",
      "schemas",
      "sarif-2.1.0-rtm.5.json",
    ),
    "utf8",
  ),
) as Record<string, unknown>;

let root: string;
let broken: ValidationReport;
let clean: ValidationReport;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "weft-validators-formats-"));
  await makeCleanRepo(join(root, "clean"));
  clean = await validateRepo({ cwd: join(root, "clean"), scopes: ["all"] });
  // Several problems at once: a bad task type, a cycle, an illegal transition.
  const cases = listBrokenCases().filter((c) =>
    ["task-def-002-bad-type", "sm-def-001-from-terminal"].includes(c.name),
  );
  const dir = join(root, "broken");
  materializeCase(join(root, "clean"), cases[0]!, dir);
  const second = cases[1]!;
  materializeCase(dir, { ...second, name: second.name }, join(root, "broken2"));
  broken = await validateRepo({ cwd: join(root, "broken2"), scopes: ["all"] });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("SARIF output", () => {
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false });
  const validate = ajv.compile(sarifSchema);

  it("validates against the SARIF 2.1.0 JSON schema, with one result per violation at its line and column", () => {
    const sarif = JSON.parse(renderReport(broken, "sarif"));
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const results = sarif.runs[0].results as {
      ruleId: string;
      level: string;
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string };
          region: { startLine: number; startColumn: number };
        };
      }[];
    }[];
    const total = broken.results.reduce((n, r) => n + r.violations.length, 0);
    expect(results.length).toBe(total);
    const typeResult = results.find(
      (r) =>
        r.ruleId === "TASK-DEF-002" &&
        r.locations[0]!.physicalLocation.artifactLocation.uri === "tasks/ws-a/a2.json",
    );
    expect(typeResult).toBeDefined();
    expect(typeResult!.locations[0]!.physicalLocation.region).toEqual({ startLine: 7, startColumn: 11 });
    expect(typeResult?.level).toBe("error");
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain("SM-DEF-001");
  });

  it("is schema-valid for a clean repo too (no results)", () => {
    const sarif = JSON.parse(renderReport(clean, "sarif"));
    expect(validate(sarif)).toBe(true);
    expect(sarif.runs[0].results).toEqual([]);
  });

  it("the schema check can fail (a result without a message is rejected)", () => {
    const sarif = JSON.parse(renderReport(broken, "sarif"));
    delete sarif.runs[0].results[0].message;
    expect(validate(sarif)).toBe(false);
  });
});

describe("text, json and github output", () => {
  it("text groups violations by requirement with file:line:column and a fix", () => {
    const text = renderReport(broken, "text");
    expect(text).toMatch(/^FAIL {2}TASK-DEF-002 {2}/m);
    expect(text).toMatch(/^ {2}tasks\/ws-a\/a2.json:7:11 {2}error {2}type .*"shell"/m);
    expect(text).toMatch(/\n {6}fix: /);
    expect(text).not.toMatch(/^PASS /m);
    expect(text).toMatch(/FAILED: \d+ passed, \d+ failed/);
    const verbose = renderReport(clean, "text", { verbose: true });
    expect(verbose).toMatch(/^PASS {2}STATE-OBS-001 /m);
    expect(verbose).toContain("OK: 32 passed, 0 failed");
  });

  it("json is the report", () => {
    const json = JSON.parse(renderReport(broken, "json")) as ValidationReport;
    expect(json.exitCode).toBe(1);
    expect(json.results.find((r) => r.id === "SM-DEF-001")?.status).toBe("FAIL");
  });

  it("github prints one escaped annotation per violation", () => {
    const out = renderReport(broken, "github");
    const lines = out.split("\n").filter((l) => l.startsWith("::"));
    expect(lines.length).toBe(broken.results.reduce((n, r) => n + r.violations.length, 0));
    expect(out).toContain("::error file=tasks/ws-a/a2.json,line=7,col=11,title=TASK-DEF-002 ");
    for (const l of lines) expect(l.split("::").length).toBe(3); // no raw '::' or newline inside
    expect(out).toContain("%0Afix: ");
  });
});
