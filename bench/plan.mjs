// `node bench/plan.mjs` (after `pnpm build`) — the planning benchmark of DESIGN §6 / issue 3:
//  1. 100,000 tasks / 500,000 edges: weft's planning core (index built from task objects, cycle check, estimates,
//     deterministic topological order, stages, weighted critical path, makespan simulation with 2 workers) vs
//     @dagrejs/graphlib (Graph build + alg.topsort) on the same graph. Targets: weft ≤ 250 ms (median of warm runs),
//     and ≥ 5× faster than graphlib.
//  2. `weft plan` from the CLI on 10,000 task files (a fresh node process: load, plan, write .state): < 2 s.
//  3. `weft graph --format svg` on the same repo (drawn as a summary above the size limit): informational.
// Prints a table, writes bench/results/plan.json, exits 1 when a target is missed.
//   node bench/plan.mjs [--tasks 100000] [--edges 500000] [--runs 9] [--graphlib-runs 3] [--cli-tasks 10000]
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { alg, Graph } from "@dagrejs/graphlib";
import { computePlans } from "../packages/dag/dist/index.js";
import { median, numberOption } from "./lib/cli.mjs";
import { generateLayeredDag, prng, writeWeftRepo } from "./lib/generate-dag.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "apps", "weft", "dist", "weft.js");
const N = numberOption("tasks", 100_000);
const M = numberOption("edges", 500_000);
const RUNS = numberOption("runs", 9);
const GRAPHLIB_RUNS = numberOption("graphlib-runs", 3);
const CLI_TASKS = numberOption("cli-tasks", 10_000);
const TARGET_MS = 250;
const TARGET_RATIO = 5;
const TARGET_CLI_MS = 2000;
const out = (s) => process.stdout.write(`${s}\n`);

/**
 * N tasks in layers of 200; each depends on distinct tasks of the previous three layers (most from the one just
 * before), M edges in all. Random estimates, priorities and types; task objects shaped like parsed task files.
 */
function generate(n, m, seed = 7) {
  const rand = prng(seed);
  const width = 200;
  const ids = Array.from({ length: n }, (_, i) => `task-${String(i).padStart(6, "0")}`);
  const types = ["aider", "lint", "pytest", "custom"];
  const tasks = [];
  let made = 0;
  for (let i = 0; i < n; i++) {
    const layer = Math.floor(i / width);
    const deps = new Set();
    if (layer > 0) {
      const remaining = n - i;
      const want = Math.round((m - made) / remaining);
      const lo = Math.max(0, (layer - 3) * width);
      const hi = layer * width;
      const prev = (layer - 1) * width;
      while (deps.size < Math.min(want, hi - lo)) {
        const from = rand() < 0.7 ? prev + Math.floor(rand() * width) : lo + Math.floor(rand() * (hi - lo));
        deps.add(ids[from]);
      }
    }
    made += deps.size;
    tasks.push({
      task_id: ids[i],
      workstream_id: "bench",
      name: `synthetic task ${i}`,
      type: types[i % 4],
      status: "pending",
      dependencies: [...deps],
      blocks: [],
      priority: i % 3,
      estimated_duration_seconds: 1 + Math.floor(rand() * 300),
      resource_requirements: {},
    });
  }
  return { tasks, edges: made };
}

/** Wall and CPU (user + system, this process) milliseconds of `fn()`. */
const time = (fn) => {
  globalThis.gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return [wall, result, (c.user + c.system) / 1000];
};
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

function loadAverage() {
  try {
    return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
  } catch {
    return 0;
  }
}

function cpuModel() {
  try {
    return (
      /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpus()[0]?.model ?? "?"
    );
  } catch {
    return cpus()[0]?.model ?? "?";
  }
}

out(`planning benchmark — ${cpus().length} cores, ${cpuModel()}, node ${process.version}`);
const { tasks, edges } = generate(N, M);
out(
  `graph: ${N.toLocaleString("en-US")} tasks, ${edges.toLocaleString("en-US")} edges (layers of 200, fan-in from the 3 layers before)`,
);

// 1a. weft: the planning core, without building the JSON documents.
const options = { workers: 2, generatedAt: "2026-01-01T00:00:00.000Z", documents: false };
const weftRuns = [];
const weftCpu = [];
let plan;
for (let i = 0; i < RUNS + 1; i++) {
  const [ms, r, cpu] = time(() => computePlans(tasks, options));
  weftRuns.push(ms);
  weftCpu.push(cpu);
  plan = r.workstreams[0];
}
const weftCold = weftRuns[0];
const weftMedian = median(weftRuns.slice(1));
const weftCpuMedian = median(weftCpu.slice(1));
// 1b. weft: the same plus the dag_{ws}.json / execution_plan_{ws}.json objects (not serialized).
const docRuns = [];
for (let i = 0; i < 3; i++) docRuns.push(time(() => computePlans(tasks, { ...options, documents: true }))[0]);
// 1c. graphlib: build + topsort.
const graphlibRuns = [];
const graphlibCpu = [];
let graphlibOrder = 0;
for (let i = 0; i < GRAPHLIB_RUNS; i++) {
  const [ms, order, cpu] = time(() => {
    const g = new Graph();
    for (const t of tasks) g.setNode(t.task_id);
    for (const t of tasks) for (const d of t.dependencies) g.setEdge(d, t.task_id);
    return alg.topsort(g);
  });
  graphlibRuns.push(ms);
  graphlibCpu.push(cpu);
  graphlibOrder = order.length;
}
const graphlibMedian = median(graphlibRuns);
const graphlibCpuMedian = median(graphlibCpu);
const ratio = graphlibMedian / weftMedian;
if (graphlibOrder !== N || plan.analysis.order.length !== N)
  throw new Error("an order does not list every task");

// 2. weft plan from the CLI on task files.
const dir = mkdtempSync(join(tmpdir(), "weft-bench-plan-"));
await writeWeftRepo(dir, generateLayeredDag(CLI_TASKS, { width: 50, seed: 3 }), {
  command: "node -e 0",
  config: { workers: { count: 2 } },
});
// The child reports its own CPU time (user + system) on exit, through a preloaded one-line module.
const cpuHook =
  'data:text/javascript,process.on("exit",()=>{const c=process.cpuUsage();process.stderr.write("\\nweft-bench-cpu-ms "+(c.user+c.system)/1000+"\\n")})';
function runCli(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", cpuHook, cli, ...args, "--cwd", dir], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  const wall = performance.now() - t0;
  const cpu = Number(/weft-bench-cpu-ms ([\d.]+)/.exec(r.stderr)?.[1] ?? Number.NaN);
  if (r.status !== 0) process.stderr.write(r.stderr);
  return { ok: r.status === 0, wall, cpu };
}
const cliRuns = [1, 2, 3].map(() => runCli(["plan", "--json"]));
const cliOk = cliRuns.every((r) => r.ok);
const cliMedian = median(cliRuns.map((r) => r.wall));
const cliCpuMedian = median(cliRuns.map((r) => r.cpu));
const graphRun = runCli(["graph", "--format", "svg", "-o", join(dir, "dag.svg")]);
rmSync(dir, { recursive: true, force: true });

// On a shared machine (load average above the core count) wall time measures the neighbours as much as weft:
// the targets are then judged on CPU time (user + system of the process), which the load does not inflate as much.
const load = loadAverage();
const busy = load > cpus().length;
const judged = (wall, cpu) => (busy ? cpu : wall);
const rows = [
  ["what", "weft wall", "weft CPU", "graphlib wall", "graphlib CPU", "target"],
  [
    `plan ${N / 1000}k tasks / ${Math.round(edges / 1000)}k edges (median of ${RUNS} warm runs)`,
    fmt(weftMedian),
    fmt(weftCpuMedian),
    fmt(graphlibMedian),
    fmt(graphlibCpuMedian),
    `≤ ${TARGET_MS} ms`,
  ],
  ["  first (cold) run", fmt(weftCold), fmt(weftCpu[0]), "", "", ""],
  [
    "  speed-up over graphlib build + topsort",
    `${ratio.toFixed(1)}×`,
    `${(graphlibCpuMedian / weftCpuMedian).toFixed(1)}×`,
    "1×",
    "1×",
    `≥ ${TARGET_RATIO}×`,
  ],
  ["  + building the two JSON documents (median of 3)", fmt(median(docRuns)), "", "", "", "(not a target)"],
  [
    `weft plan CLI, ${CLI_TASKS.toLocaleString("en-US")} task files (fresh process, median of 3)`,
    cliOk ? fmt(cliMedian) : "FAILED",
    fmt(cliCpuMedian),
    "",
    "",
    `< ${TARGET_CLI_MS} ms`,
  ],
  [
    `weft graph --format svg, ${CLI_TASKS.toLocaleString("en-US")} tasks (summary view)`,
    graphRun.ok ? fmt(graphRun.wall) : "FAILED",
    fmt(graphRun.cpu),
    "",
    "",
    "(no hang)",
  ],
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows)
  out(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "));
out(
  `critical path ${plan.analysis.criticalPathDuration} s over ${plan.analysis.criticalPath.length} tasks; ${plan.stages.length} stages; makespan (2 workers) ${plan.schedule.makespan} s`,
);
out(
  `load average ${load.toFixed(2)} on ${cpus().length} cores${busy ? ": machine busy, targets judged on CPU time" : ""}`,
);

const misses = [];
const planMs = judged(weftMedian, weftCpuMedian);
const cliMs = judged(cliMedian, cliCpuMedian);
const speedup = busy ? graphlibCpuMedian / weftCpuMedian : ratio;
if (planMs > TARGET_MS) misses.push(`planning took ${fmt(planMs)} > ${TARGET_MS} ms`);
if (speedup < TARGET_RATIO) misses.push(`only ${speedup.toFixed(1)}× faster than graphlib`);
if (!cliOk || cliMs >= TARGET_CLI_MS)
  misses.push(`weft plan on ${CLI_TASKS} files: ${cliOk ? fmt(cliMs) : "failed"}`);
if (!graphRun.ok) misses.push("weft graph failed");
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(
  join(root, "bench", "results", "plan.json"),
  `${JSON.stringify(
    {
      machine: { cores: cpus().length, cpu: cpuModel(), node: process.version, load_average: load },
      tasks: N,
      edges,
      weft_ms: {
        median: weftMedian,
        cpu_median: weftCpuMedian,
        cold: weftCold,
        runs: weftRuns.slice(1),
        with_documents: median(docRuns),
      },
      graphlib_ms: { median: graphlibMedian, cpu_median: graphlibCpuMedian, runs: graphlibRuns },
      speedup: ratio,
      cli_plan_ms: { tasks: CLI_TASKS, median: cliMedian, cpu_median: cliCpuMedian, runs: cliRuns },
      cli_graph_svg_ms: graphRun,
      judged_on: busy ? "cpu" : "wall",
      misses,
    },
    null,
    2,
  )}\n`,
);
if (misses.length > 0) {
  out(`MISSED: ${misses.join("; ")}`);
  process.exitCode = 1;
} else out("all planning targets met");
