// `pnpm bench` (DESIGN §6): the engine benchmark — weft run (--isolation none, and worktree mode beside it) vs GNU
// `make -j2` vs a bare Node spawn loop on the same generated layered DAGs (no-op tasks, fan-in 1–3) — then the other
// bench/*.mjs scripts (plan, state, validate), each standalone. Results: bench/results/engine.json and a table.
//   node bench/run.mjs [--sizes 1000,10000] [--workers 2] [--skip-worktree] [--only-engine]
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateLayeredDag, writeWeftRepo } from "./lib/generate-dag.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "apps", "weft", "dist", "main.js");
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const sizes = opt("sizes", "1000,10000").split(",").map(Number);
const workers = Number(opt("workers", "2"));
const skipWorktree = argv.includes("--skip-worktree");
const onlyEngine = argv.includes("--only-engine");
const worktreeSize = Number(opt("worktree-size", "1000"));
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

/** Runs a command under /usr/bin/time to get wall time and peak RSS (KiB). */
function timed(cmd, args, cwd, stdoutFile) {
  return new Promise((resolve) => {
    const useTime = existsSync("/usr/bin/time");
    const file = join(tmpdir(), `weft-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const t0 = performance.now();
    const [c, a] = useTime ? ["/usr/bin/time", ["-f", "%M", "-o", file, cmd, ...args]] : [cmd, args];
    const child = spawn(c, a, {
      cwd,
      stdio: ["ignore", stdoutFile ? "pipe" : "ignore", "pipe"],
      env: { ...process.env, CI: "1" },
    });
    const chunks = [];
    child.stdout?.on("data", (d) => chunks.push(d));
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
      if (stdoutFile) writeFileSync(stdoutFile, Buffer.concat(chunks));
      resolve({ code, wallMs: wall, rssMb: rssKb === null ? null : Math.round(rssKb / 1024), stderr });
    });
  });
}

function writeMakefile(dir, tasks) {
  const lines = [".PHONY: all", `all: ${tasks.map((t) => t.id).join(" ")}`];
  for (const t of tasks) lines.push(`.PHONY: ${t.id}`, `${t.id}: ${t.deps.join(" ")}`, "\t@/bin/sh -c true");
  writeFileSync(join(dir, "Makefile"), `${lines.join("\n")}\n`);
}

async function benchSize(n) {
  const tasks = generateLayeredDag(n, { width: 50, seed: 42 });
  const edges = tasks.reduce((s, t) => s + t.deps.length, 0);
  const r = { tasks: n, edges };
  // make -j2
  const mk = mkdtempSync(join(tmpdir(), "weft-bench-make-"));
  writeMakefile(mk, tasks);
  const m = await timed("make", ["-j", String(workers), "-s", "all"], mk);
  r.make_ms = m.code === 0 ? Math.round(m.wallMs) : null;
  rmSync(mk, { recursive: true, force: true });
  // bare Node spawn loop (in a child process, for a clean heap like weft's)
  const bare = mkdtempSync(join(tmpdir(), "weft-bench-bare-"));
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
  rmSync(bare, { recursive: true, force: true });
  // weft run --isolation none
  const w = mkdtempSync(join(tmpdir(), "weft-bench-weft-"));
  await writeWeftRepo(w, tasks, { command: "true", config: { workers: { count: workers } } });
  const res = await timed(
    process.execPath,
    [cli, "run", "--isolation", "none", "--workers", String(workers), "--json"],
    w,
    join(w, "events.ndjson"),
  );
  r.weft_none_ms = res.code === 0 ? Math.round(res.wallMs) : null;
  r.weft_none_rss_mb = res.rssMb;
  if (res.code !== 0) r.weft_error = res.stderr.slice(-500);
  try {
    const lines = readFileSync(join(w, "events.ndjson"), "utf8").trim().split("\n");
    const summary = JSON.parse(lines[lines.length - 1]);
    r.ready_to_running_ms = {
      p50: round(summary.latency.p50),
      p99: round(summary.latency.p99),
      max: round(summary.latency.max),
    };
    r.events = lines.length - 1;
  } catch {}
  rmSync(w, { recursive: true, force: true });
  r.weft_vs_bare = r.weft_none_ms && r.bare_loop_ms ? round(r.weft_none_ms / r.bare_loop_ms) : null;
  r.weft_vs_make = r.weft_none_ms && r.make_ms ? round(r.weft_none_ms / r.make_ms) : null;
  return r;
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
  "| tasks | edges | make -j2 | bare Node loop | weft --isolation none | weft / bare | weft peak RSS | ready→running p50 / p99 |",
);
out("|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of results.sizes) {
  const lat = r.ready_to_running_ms ? `${r.ready_to_running_ms.p50} / ${r.ready_to_running_ms.p99} ms` : "?";
  out(
    `| ${r.tasks} | ${r.edges} | ${r.make_ms ?? "fail"} ms | ${r.bare_loop_ms ?? "fail"} ms | ${r.weft_none_ms ?? "fail"} ms | ${r.weft_vs_bare ?? "?"}× | ${r.weft_none_rss_mb ?? "?"} MB | ${lat} |`,
  );
}
if (results.worktree)
  out(
    `\nworktree mode, ${results.worktree.tasks} tasks: ${results.worktree.weft_worktree_ms ?? "failed"} ms (peak RSS ${results.worktree.rss_mb ?? "?"} MB)`,
  );
out(
  "turbo: not run — turbo schedules package scripts; a 1,000-package workspace is a different workload from 1,000 tasks.",
);
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", "engine.json"), `${JSON.stringify(results, null, 2)}\n`);

if (!onlyEngine) {
  for (const script of ["plan.mjs", "state.mjs", "validate.mjs"]) {
    const p = join(root, "bench", script);
    if (!existsSync(p)) continue;
    out(`\n== bench/${script}`);
    const r = spawnSync(process.execPath, [p], { stdio: "inherit", cwd: root });
    if (r.status !== 0) process.exitCode = 1;
  }
}
