import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error -- a plain .mjs script shared with bench/validate.mjs (no type declarations)
import { generateLargeRepo } from "../scripts/generate-large-repo.mjs";
import { validateRepo } from "../src/validate-repo.js";

// The short, seeded variant of `node bench/validate.mjs` (5,000 tasks, 100 MB log): same generator, smaller log.
let dir: string;
let generated: { tasks: number; events: number; logBytes: number };
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "weft-validators-large-"));
  generated = await generateLargeRepo(dir, { tasks: 2000, logBytes: 4 * 1024 * 1024, seed: 7 });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a large generated repository", () => {
  it("passes `all` with every task and every log line checked (the log is streamed)", async () => {
    expect(statSync(join(dir, ".state", "transitions.jsonl")).size).toBeGreaterThan(
      4 * 1024 * 1024 - 600_000,
    );
    const report = await validateRepo({ cwd: dir, scopes: ["all"] });
    const bad = report.results.filter((r) => r.status === "FAIL" || r.status === "WARN");
    expect(
      bad.map(
        (r) => `${r.id}: ${r.violations[0]?.file}:${r.violations[0]?.line} ${r.violations[0]?.message}`,
      ),
    ).toEqual([]);
    expect(report.checked["task definitions"]).toBe(2000);
    expect(report.checked["event lines"]).toBe(generated.events);
    expect(report.exitCode).toBe(0);
  }, 120_000);
});
