// `pnpm bench` (DESIGN §6): the engine benchmark — weft run (--isolation none, and worktree mode beside it) vs GNU
// `make -j2` vs a bare Node spawn loop on the same generated layered DAGs (no-op tasks, fan-in 1–3) — then the other
// bench/*.mjs scripts (launcher, plan, state, validate), each standalone. Results: bench/results/engine.json and a table.
//   node bench/run.mjs [--sizes 1000,10000] [--rounds 3] [--workers 2] [--skip-worktree] [--only-engine]
//                      [--skip-node-launcher] [--results FILE (default bench/results/engine.json)]
// Sizes up to 2,000 tasks run `--rounds` interleaved rounds (make, bare, weft, weft with the Node launcher; then the
// reverse; …), medians. weft runs as installed: with the native spawn launcher where it was built (`pnpm build` with
// a C compiler), else the Node one; the extra contender forces the Node launcher (WEFT_LAUNCHER=node), which is what
// weft does where no C compiler was available (docs/execution_model/SCHEDULING.md).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, option } from "./lib/cli.mjs";
import { generateLayeredDag, writeWeftRepo } from "./lib/generate-dag.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "apps", "weft", "dist", "weft.js");
const argv = process.argv.slice(2);
const sizes = option("sizes", "1000,10000").split(",").map(Number);
const rounds = Math.max(1, Number(option("rounds", "3")));
const workers = Number(option("workers", "2"));
const skipWorktree = argv.includes("--skip-worktree");
const onlyEngine = argv.includes("--only-engine");
const skipNodeLauncher = argv.includes("--skip-node-launcher");
const worktreeSize = Number(option("worktree-size", "1000"));
const out = (s) => process.stdout.write(`${s}\n`);

function machine() {
  const c = cpus();
  let load = "";
  try {
    load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {}
  let makeVersion = "absent";
  try {
    makeVersion = execFileSync("make", ["--version"], { encoding: "utf8" }).split("\n")[0];
  } catch {}
  return {
    cpu: c[0]?.model ?? "?",
    cores: c.length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    load_average: load,
    make: makeVersion,
  };
}

/**
 * Runs a command under /usr/bin/time to get wall time and peak RSS (KiB). Its stdout goes straight to `stdoutFile`
 * (a file, as the bare loop writes its log): reading megabytes of NDJSON through a pipe here would tax the
 * contender with this process's CPU.
 */
function timed(cmd, args, cwd, stdoutFile, env = {}) {
  return new Promise((resolve) => {
    const useTime = existsSync("/usr/bin/time");
    const file = join(tmpdir(), `weft-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const [c, a] = useTime ? ["/usr/bin/time", ["-f", "%M", "-o", file, cmd, ...args]] : [cmd, args];
    const outFd = stdoutFile ? openSync(stdoutFile, "w") : null;
    const t0 = performance.now();
    const child = spawn(c, a, {
      cwd,
      stdio: ["ignore", outFd ?? "ignore", "pipe"],
      env: { ...process.env, CI: "1", ...env },
    });
    if (outFd !== null) closeSync(outFd);
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => {
      const wall = performance.now() - t0;
      let rssKb = null;
      if (useTime) {
        try {
          rssKb = Number(readFileSync(file, "utf8").trim().split("\n").pop());
          rmSync(file, { force: true });
        } catch {}
      }
      resolve({ code, wallMs: wall, rssMb: rssKb === null ? null : Math.round(rssKb / 1024), stderr });
    });
  });
}

function writeMakefile(dir, tasks) {
  const lines = [".PHONY: all", `all: ${tasks.map((t) => t.id).join(" ")}`];
  for (const t of tasks) lines.push(`.PHONY: ${t.id}`, `${t.id}: ${t.deps.join(" ")}`, "\t@/bin/sh -c true");
  writeFileSync(join(dir, "Makefile"), `${lines.join("\n")}\n`);
}

/** Directories of finished runs, removed when the benchmark ends: deleting thousands of files makes the next run's
 * file creations slower on ext4 for the next half minute, which would tax whichever contender runs next. */
const toRemove = [];

/**
 * One round on the same DAG: make -j2, the bare loop, weft --isolation none (as installed, and with the Node
 * launcher unless --skip-node-launcher), each in a fresh directory. `reverse`
 * runs them in the opposite order: rounds alternate, so that whatever one contender leaves behind (dirty pages,
 * processes being reaped) or a drift of the machine's speed does not always fall on the same one.
 */
async function benchRound(tasks, reverse = false) {
  const r = {};
  const steps = [runMake, runBare, runWeft];
  if (!skipNodeLauncher) steps.push(runWeftNodeLauncher);
  if (reverse) steps.reverse();
  for (const step of steps) await step(tasks, r);
  r.weft_vs_bare = r.weft_none_ms && r.bare_loop_ms ? round(r.weft_none_ms / r.bare_loop_ms) : null;
  if (!skipNodeLauncher)
    r.weft_node_vs_bare = r.weft_node_ms && r.bare_loop_ms ? round(r.weft_node_ms / r.bare_loop_ms) : null;
  return r;
}

async function runMake(tasks, r) {
  const mk = mkdtempSync(join(tmpdir(), "weft-bench-make-"));
  toRemove.push(mk);
  writeMakefile(mk, tasks);
  const m = await timed("make", ["-j", String(workers), "-s", "all"], mk);
  r.make_ms = m.code === 0 ? Math.round(m.wallMs) : null;
}

async function runBare(tasks, r) {
  // bare Node spawn loop (in a child process, for a clean heap like weft's)
  const bare = mkdtempSync(join(tmpdir(), "weft-bench-bare-"));
  toRemove.push(bare);
  writeFileSync(join(bare, "dag.json"), JSON.stringify(tasks));
  const b = await timed(
    process.execPath,
    [
      join(root, "bench", "lib", "bare-loop.mjs"),
      join(bare, "dag.json"),
      join(bare, "log.jsonl"),
      String(workers),
    ],
    bare,
  );
  r.bare_loop_ms = b.code === 0 ? Math.round(b.wallMs) : null;
  r.bare_loop_rss_mb = b.rssMb;
}

/** `weft run --isolation none --json` on `tasks` in a fresh directory: its timing and its NDJSON lines. */
async function weftRun(tasks, env = {}) {
  const w = mkdtempSync(join(tmpdir(), "weft-bench-weft-"));
  toRemove.push(w);
  await writeWeftRepo(w, tasks, { command: "true", config: { workers: { count: workers } } });
  const res = await timed(
    process.execPath,
    [cli, "run", "--isolation", "none", "--workers", String(workers), "--json"],
    w,
    join(w, "events.ndjson"),
    env,
  );
  let lines = [];
  try {
    lines = readFileSync(join(w, "events.ndjson"), "utf8").trim().split("\n");
  } catch {}
  return { res, lines };
}

/** weft with the Node launcher (WEFT_LAUNCHER=node): wall time, peak RSS and the launcher it reported. */
async function runWeftNodeLauncher(tasks, r) {
  const { res, lines } = await weftRun(tasks, { WEFT_LAUNCHER: "node" });
  r.weft_node_ms = res.code === 0 ? Math.round(res.wallMs) : null;
  r.weft_node_rss_mb = res.rssMb;
  if (res.code !== 0) r.weft_error = res.stderr.slice(-500);
  try {
    r.weft_node_launcher = JSON.parse(lines[lines.length - 1]).launcher ?? null;
  } catch {}
}

async function runWeft(tasks, r) {
  // weft run --isolation none, as built (the native launcher where it was built)
  const { res, lines } = await weftRun(tasks);
  r.weft_none_ms = res.code === 0 ? Math.round(res.wallMs) : null;
  r.weft_none_rss_mb = res.rssMb;
  if (res.code !== 0) r.weft_error = res.stderr.slice(-500);
  try {
    const summary = JSON.parse(lines[lines.length - 1]);
    r.launcher = summary.launcher ?? null;
    r.ready_to_running_ms = {
      p50: round(summary.latency.p50),
      p99: round(summary.latency.p99),
      max: round(summary.latency.max),
    };
    r.events = lines.length - 1;
    // tasks started the ordinary way (the rest were launched ahead: started by the launcher when the worker's
    // previous command exited, latency 0 — docs/execution_model/SCHEDULING.md)
    const ordinary = new Set(
      lines.filter((l) => l.includes('"event":"task_process_spawned"')).map((l) => JSON.parse(l).entity_id),
    );
    r.started_ordinarily = ordinary.size;
    r.ordinary_latency_max_ms = round(
      Math.max(
        0,
        ...lines
          .filter((l) => l.includes('"event":"task_started"'))
          .map((l) => JSON.parse(l))
          .filter((e) => ordinary.has(e.entity_id))
          .map((e) => e.metadata.latency_ms),
      ),
    );
  } catch {}
}

/** `rounds` interleaved rounds (the machine's speed drifts; each round compares contenders side by side), medians. */
async function benchSize(n) {
  const tasks = generateLayeredDag(n, { width: 50, seed: 42 });
  const edges = tasks.reduce((s, t) => s + t.deps.length, 0);
  const count = n <= 2000 ? rounds : 1;
  const all = [];
  for (let i = 0; i < count; i++) {
    const r = await benchRound(tasks, i % 2 === 1);
    out(
      `  round ${i + 1}/${count}: make ${r.make_ms} ms, bare ${r.bare_loop_ms} ms, weft ${r.weft_none_ms} ms (${r.launcher} launcher) → ${r.weft_vs_bare}×` +
        (skipNodeLauncher ? "" : `; weft, Node launcher ${r.weft_node_ms} ms → ${r.weft_node_vs_bare}×`),
    );
    all.push(r);
  }
  const pick = (k) => median(all.map((r) => r[k]));
  const last = all[all.length - 1];
  return {
    tasks: n,
    edges,
    rounds: all,
    make_ms: pick("make_ms"),
    bare_loop_ms: pick("bare_loop_ms"),
    bare_loop_rss_mb: pick("bare_loop_rss_mb"),
    weft_none_ms: pick("weft_none_ms"),
    weft_none_rss_mb: all.some((r) => typeof r.weft_none_rss_mb === "number")
      ? Math.max(...all.map((r) => r.weft_none_rss_mb ?? 0))
      : null,
    weft_vs_bare: round(pick("weft_vs_bare")),
    launcher: last.launcher,
    weft_node_ms: pick("weft_node_ms"),
    weft_node_rss_mb: all.some((r) => typeof r.weft_node_rss_mb === "number")
      ? Math.max(...all.map((r) => r.weft_node_rss_mb ?? 0))
      : null,
    weft_node_vs_bare: pick("weft_node_vs_bare") === null ? null : round(pick("weft_node_vs_bare")),
    weft_vs_make:
      pick("weft_none_ms") && pick("make_ms") ? round(pick("weft_none_ms") / pick("make_ms")) : null,
    ready_to_running_ms: last.ready_to_running_ms,
    started_ordinarily: last.started_ordinarily,
    ordinary_latency_max_ms: last.ordinary_latency_max_ms,
    events: last.events,
    ...(all.some((r) => r.weft_error) ? { weft_error: all.find((r) => r.weft_error).weft_error } : {}),
  };
}

async function benchWorktree(n) {
  const tasks = generateLayeredDag(n, { width: 50, seed: 42 });
  const w = mkdtempSync(join(tmpdir(), "weft-bench-wt-"));
  await writeWeftRepo(w, tasks, { command: "true", config: { workers: { count: workers } } });
  writeFileSync(join(w, ".gitignore"), ".state/\n.weft/\n");
  const git = (...a) => execFileSync("git", ["-C", w, ...a], { stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("-c", "user.email=b@example.invalid", "-c", "user.name=bench", "add", "-A");
  git("-c", "user.email=b@example.invalid", "-c", "user.name=bench", "commit", "-q", "-m", "init");
  const res = await timed(
    process.execPath,
    [cli, "run", "--isolation", "worktree", "--workers", String(workers), "--json"],
    w,
    join(w, "events.ndjson"),
  );
  const r = { tasks: n, weft_worktree_ms: res.code === 0 ? Math.round(res.wallMs) : null, rss_mb: res.rssMb };
  if (res.code !== 0) r.error = res.stderr.slice(-500);
  rmSync(w, { recursive: true, force: true });
  return r;
}

const round = (x) => Math.round(x * 100) / 100;

if (!existsSync(cli)) {
  out(`bench: ${cli} is missing; run \`pnpm build\` first`);
  process.exit(2);
}
const results = { machine: machine(), workers, date: new Date().toISOString(), sizes: [], worktree: null };
out(
  `## Engine benchmark — ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.node}, load ${results.machine.load_average}`,
);
for (const n of sizes) {
  out(`running ${n} tasks…`);
  const r = await benchSize(n);
  results.sizes.push(r);
}
if (!skipWorktree) {
  out(`running ${worktreeSize} tasks in worktree mode…`);
  results.worktree = await benchWorktree(worktreeSize);
}
out("");
out(
  "| tasks | rounds | edges | make -j2 | bare Node loop | weft --isolation none (launcher) | weft / bare (median of rounds) | weft peak RSS | ready→running p50 / p99 | started ordinarily (max latency) | weft, Node launcher | its / bare |",
);
out("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of results.sizes) {
  const lat = r.ready_to_running_ms ? `${r.ready_to_running_ms.p50} / ${r.ready_to_running_ms.p99} ms` : "?";
  out(
    `| ${r.tasks} | ${r.rounds.length} | ${r.edges} | ${r.make_ms ?? "fail"} ms | ${r.bare_loop_ms ?? "fail"} ms | ${r.weft_none_ms ?? "fail"} ms (${r.launcher ?? "?"}) | ${r.weft_vs_bare ?? "?"}× | ${r.weft_none_rss_mb ?? "?"} MB | ${lat} | ${r.started_ordinarily ?? "?"} (${r.ordinary_latency_max_ms ?? "?"} ms) | ${r.weft_node_ms === null ? "—" : `${r.weft_node_ms} ms`} | ${r.weft_node_vs_bare === null ? "—" : `${r.weft_node_vs_bare}×`} |`,
  );
}
if (results.worktree)
  out(
    `\nworktree mode, ${results.worktree.tasks} tasks: ${results.worktree.weft_worktree_ms ?? "failed"} ms (peak RSS ${results.worktree.rss_mb ?? "?"} MB)`,
  );
out(
  "turbo: not run — turbo schedules package scripts; a 1,000-package workspace is a different workload from 1,000 tasks.",
);
for (const dir of toRemove) rmSync(dir, { recursive: true, force: true });
const resultsFile = option("results", join(root, "bench", "results", "engine.json"));
mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);

if (!onlyEngine) {
  for (const script of ["launcher.mjs", "plan.mjs", "state.mjs", "validate.mjs"]) {
    const p = join(root, "bench", script);
    if (!existsSync(p)) continue;
    out(`\n== bench/${script}`);
    const r = spawnSync(process.execPath, [p], { stdio: "inherit", cwd: root });
    if (r.status !== 0) process.exitCode = 1;
  }
}
