#!/usr/bin/env node
// `node bench/validate.mjs` (after `pnpm build`): generates a repository with 5,000 tasks and a 100 MB
// transitions.jsonl (valid: legal transitions, hash chain, matching snapshot, indices and plans) in a temp dir,
// then times `weft-validate all` on it as a child process (wall, user+sys CPU, peak RSS). COMPLIANCE-001 target:
// ≤ 10 s. Options: --tasks N, --log-mb M, --runs R, --keep (leave the repo), --json.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "5000" },
    "log-mb": { type: "string", default: "100" },
    runs: { type: "string", default: "3" },
    keep: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
const { generateLargeRepo } = await import(join(root, "packages/validators/scripts/generate-large-repo.mjs"));
const bin = join(root, "packages/validators/dist/bin.js");
const dir = mkdtempSync(join(tmpdir(), "weft-bench-validate-"));
const t0 = performance.now();
const gen = await generateLargeRepo(dir, {
  tasks: Number(values.tasks),
  logBytes: Number(values["log-mb"]) * 1024 * 1024,
});
const genMs = performance.now() - t0;
const runs = [];
for (let i = 0; i < Number(values.runs); i++) {
  const load = loadavg()[0];
  const s = performance.now();
  const r = spawnSync(
    "/usr/bin/time",
    ["-f", "%U %S %M", process.execPath, bin, "all", "--cwd", dir, "--format", "json"],
    {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const wallMs = performance.now() - s;
  const [user, sys, rssKb] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
  const report = JSON.parse(r.stdout);
  runs.push({
    exit: r.status,
    wall_s: wallMs / 1000,
    cpu_s: user + sys,
    peak_rss_mb: rssKb / 1024,
    load_1m: load,
    fail: report.summary.fail,
  });
}
const best = runs.reduce((a, b) => (b.wall_s < a.wall_s ? b : a));
const result = {
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "", node: process.version },
  repo: {
    tasks: gen.tasks,
    events: gen.events,
    log_mb: +(gen.logBytes / 1048576).toFixed(1),
    generate_s: +(genMs / 1000).toFixed(1),
  },
  runs,
  best_wall_s: +best.wall_s.toFixed(2),
  target_s: 10,
};
if (values.json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(
    `weft validate all: ${gen.tasks} tasks, ${result.repo.log_mb} MB log (${gen.events} events) — ${result.machine.cpus} CPUs, ${result.machine.node}`,
  );
  console.log("run  wall s  cpu s  peak RSS MB  load(1m)  exit");
  for (const [i, r] of runs.entries()) {
    const cols = [
      r.wall_s.toFixed(2).padStart(6),
      r.cpu_s.toFixed(2).padStart(5),
      r.peak_rss_mb.toFixed(0).padStart(11),
    ];
    console.log(
      `${String(i + 1).padEnd(4)} ${cols.join("  ")}  ${r.load_1m.toFixed(1).padStart(8)}  ${r.exit}`,
    );
  }
  console.log(`best wall ${result.best_wall_s} s (target ≤ 10 s)`);
}
if (!values.keep) rmSync(dir, { recursive: true, force: true });
else console.error(`kept ${dir}`);
process.exitCode = runs.every((r) => r.exit === 0) ? 0 : 1;
