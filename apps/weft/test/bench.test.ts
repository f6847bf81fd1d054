import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

// `pnpm bench` (DESIGN §6) in miniature: the engine benchmark's own code path on a 60-task DAG, 2 rounds, and the
// launcher benchmark on 20 commands, so that the benches cannot rot between the long runs of docs/benchmarks.md. It
// asserts what the bench measured and reported — never how fast anything was (timings belong to the bench).
/** Linux with a C compiler: `pnpm build` built the native spawn launcher (packages/scheduler/scripts/build-native.mjs). */
const NATIVE_EXPECTED =
  process.platform === "linux" &&
  process.env.WEFT_NO_NATIVE !== "1" &&
  spawnSync(process.env.CC || "cc", ["--version"]).status === 0;
const root = fileURLToPath(new URL("../../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "weft-bench-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("runs make, the bare loop and weft (native and Node launchers) on one DAG and reports them", () => {
  const results = join(dir, "engine.json");
  const r = spawnSync(
    process.execPath,
    [
      join(root, "bench", "run.mjs"),
      "--sizes",
      "60",
      "--rounds",
      "2",
      "--skip-worktree",
      "--only-engine",
      "--results",
      results,
    ],
    { encoding: "utf8", timeout: 120_000 },
  );
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(readFileSync(results, "utf8"));
  const [size] = out.sizes;
  expect(size.tasks).toBe(60);
  expect(size.rounds).toHaveLength(2);
  for (const round of size.rounds) {
    for (const k of ["make_ms", "bare_loop_ms", "weft_none_ms", "weft_node_ms"])
      expect(round[k], k).toBeGreaterThan(0);
    // weft as built here runs its commands through the native launcher; the extra contender through the Node one
    expect(round.launcher).toBe(NATIVE_EXPECTED ? "native" : "node");
    expect(round.weft_node_launcher).toBe("node");
    expect(round.weft_error).toBeUndefined();
  }
  expect(size.weft_vs_bare).toBeGreaterThan(0);
  expect(size.weft_node_vs_bare).toBeGreaterThan(0);
  expect(size.ready_to_running_ms.p99).toBeGreaterThanOrEqual(0);
  expect(r.stdout).toMatch(
    /\| 60 \| 2 \| \d+ \| [\d.]+ ms \| [\d.]+ ms \| [\d.]+ ms \((native|node)\) \| [\d.]+× \|/,
  );
});

it.runIf(NATIVE_EXPECTED)("bench/launcher.mjs drives both spawn launchers and reports each", () => {
  const r = spawnSync(
    process.execPath,
    [join(root, "bench", "launcher.mjs"), "--commands", "20", "--rounds", "2", "--json"],
    { encoding: "utf8", timeout: 60_000 },
  );
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout.trim());
  expect(out.results.map((x: { kind: string }) => x.kind)).toEqual(["native", "node", "node", "native"]);
  for (const kind of ["native", "node"]) {
    expect(out.summary[kind].wall_ms).toBeGreaterThan(0);
    expect(out.summary[kind].machine_cpu_ms_per_command).toBeGreaterThan(0);
  }
});
