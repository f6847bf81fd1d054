// The test command (README): sets up (pnpm, install, build), runs the typecheck, the lint and every vitest project, and
// ends with the line CI reads: `N passed, N failed` (plus `, N skipped`). Exit status is non-zero on any failure.
//   npm test                 everything
//   npm test -- <filter>     only test files matching <filter> (vitest filter), setup included
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { installAndBuild, root } from "./ensure-pnpm.mjs";

const filters = process.argv.slice(2);
installAndBuild();

let passed = 0;
let failed = 0;
let skipped = 0;

// Type-check every package (tests included) as one counted check.
process.stderr.write("test: typecheck\n");
const tc = spawnSync("pnpm", ["run", "typecheck"], {
  cwd: root,
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
});
if (tc.status === 0) passed += 1;
else {
  failed += 1;
  process.stderr.write("test: typecheck FAILED\n");
}

// Lint and format (Biome) as one counted check.
process.stderr.write("test: lint\n");
const lint = spawnSync("pnpm", ["run", "lint"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
if (lint.status === 0) passed += 1;
else {
  failed += 1;
  process.stderr.write("test: lint FAILED (pnpm lint; fix with pnpm exec biome check --write .)\n");
}

const report = join(root, ".vitest-report.json");
rmSync(report, { force: true });
const vt = spawnSync(
  "pnpm",
  [
    "exec",
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
    ...filters,
  ],
  { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, FORCE_COLOR: "0" } },
);
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A test file that fails to load has no failed test in it: count it as one failure.
  for (const f of r.testResults ?? [])
    if (f.status === "failed" && (f.assertionResults ?? []).every((a) => a.status !== "failed")) failed += 1;
} else {
  failed += 1;
  process.stderr.write(`test: vitest produced no report (exit ${vt.status})\n`);
}
if (vt.status !== 0 && failed === 0) failed += 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
