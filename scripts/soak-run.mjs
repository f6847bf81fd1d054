// Kill -9 soak of `weft run` (DESIGN §3 recovery; issue 5): for each seeded run, a repo of ≥ 200 short tasks is run
// with `weft run --isolation none`, killed with SIGKILL at random moments and resumed until a run finishes by itself.
// Then: every task completed, every task's side effect exists, and no completed task ran again (no side effect and no
// task_started after its durable task_completed). `pnpm soak` runs 20 seeds; the test suite runs a 3-seed version.
//   node scripts/soak-run.mjs [--runs 20] [--tasks 200] [--seed 1] [--kills N] [--json]
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { numberOption } from "../bench/lib/cli.mjs";
import { generateLayeredDag, prng, writeWeftRepo } from "../bench/lib/generate-dag.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "apps", "weft", "dist", "weft.js");
const runs = numberOption("runs", 20);
const taskCount = numberOption("tasks", 200);
const seed0 = numberOption("seed", 1);
const maxKills = numberOption("kills", 0); // 0: 3–5 kills per run
const json = process.argv.includes("--json");
const log = (m) => (json ? process.stderr : process.stdout).write(`${m}\n`);

if (!existsSync(cli)) {
  log(`soak-run: ${cli} is missing; run \`pnpm build\` first`);
  process.exit(2);
}

/** Side effects written so far (one file per task that has run at least once). */
const effects = (dir) => readdirSync(join(dir, "runs")).length;

/**
 * One `weft run`; with `kill` ({ afterEffects, delayMs }) it is SIGKILLed `delayMs` after the `afterEffects`-th task
 * side effect exists. Moments chosen by progress, not by time: a run of 200 no-op tasks takes 1–10 s depending on the
 * machine and the spawn launcher, and a kill that comes after the end kills nothing.
 */
function runWeft(dir, kill) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, "run", "--isolation", "none", "--workers", "2", "--json"], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, CI: "1" },
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    let killed = false;
    let timer = null;
    let poll = null;
    if (kill !== null) {
      poll = setInterval(() => {
        if (effects(dir) < kill.afterEffects) return;
        clearInterval(poll);
        poll = null;
        timer = setTimeout(() => {
          killed = true;
          child.kill("SIGKILL");
        }, kill.delayMs);
      }, 2);
    }
    child.on("exit", (code, signal) => {
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ code, signal, killed: killed && signal === "SIGKILL", stderr });
    });
  });
}

function verify(dir, tasks) {
  const problems = [];
  const current = JSON.parse(readFileSync(join(dir, ".state", "current.json"), "utf8"));
  const byId = new Map(current.tasks.map((t) => [t.task_id, t]));
  for (const t of tasks)
    if (byId.get(t.id)?.status !== "completed") problems.push(`${t.id} is ${byId.get(t.id)?.status}`);
  const lines = readFileSync(join(dir, ".state", "transitions.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  lines.forEach((l, i) => {
    if (l.seq !== i + 1) problems.push(`log seq gap at line ${i + 1}: seq ${l.seq}`);
  });
  const completedAt = new Map();
  let startsAfterCompletion = 0;
  for (const l of lines) {
    if (l.entity_type !== "task") continue;
    if (l.to_state === "completed" && !completedAt.has(l.entity_id))
      completedAt.set(l.entity_id, Date.parse(l.timestamp));
    if (l.to_state === "running" && completedAt.has(l.entity_id)) startsAfterCompletion += 1;
  }
  const requeued = lines.filter((l) => l.trigger === "orchestrator_restarted").length;
  const recoveries = lines.filter((l) => l.event === "orchestrator_recovered").length;
  if (startsAfterCompletion > 0)
    problems.push(`${startsAfterCompletion} task_started event(s) after a task_completed`);
  let executions = 0;
  let reruns = 0;
  for (const t of tasks) {
    const f = join(dir, "runs", t.id);
    if (!existsSync(f)) {
      problems.push(`side effect of ${t.id} missing`);
      continue;
    }
    const stamps = readFileSync(f, "utf8")
      .trim()
      .split("\n")
      .map((l) => Number(l.split(" ")[1]));
    executions += stamps.length;
    const done = completedAt.get(t.id);
    if (done !== undefined && stamps.some((s) => s > done + 2)) {
      problems.push(`${t.id} ran after its completion was recorded`);
    }
    reruns += stamps.length - 1;
  }
  return { problems, executions, reruns, requeued, recoveries };
}

const results = [];
let failed = 0;
for (let r = 0; r < runs; r++) {
  const seed = seed0 + r;
  const rand = prng(seed * 7919);
  const dir = mkdtempSync(join(tmpdir(), `weft-soak-${seed}-`));
  const tasks = generateLayeredDag(taskCount, { width: 20, seed });
  mkdirSync(join(dir, "runs"));
  await writeWeftRepo(dir, tasks, {
    command: 'echo "$WEFT_ATTEMPT $(date +%s%3N) $$" >> "runs/$WEFT_TASK_ID"',
    config: { workers: { count: 2 }, state: { group_commit_ms: 20 } },
  });
  let kills = 0;
  let attempts = 0;
  let finished = null;
  while (attempts < 60) {
    attempts += 1;
    // kill at a random moment, until the run has been killed a few times; then let it finish
    const budget = maxKills > 0 ? maxKills : 3 + Math.floor(rand() * 3);
    // a moment in the first 80% of what is left to run, at least 10 tasks before the end (so that the run, at a few
    // ms per task, cannot finish in the 0–30 ms between the moment and the kill), and 0–30 ms after it
    const done = effects(dir);
    const left = Math.max(1, Math.floor((taskCount - done) * 0.8) - 10);
    const kill =
      kills < budget
        ? { afterEffects: done + 1 + Math.floor(rand() * left), delayMs: Math.floor(rand() * 30) }
        : null;
    const res = await runWeft(dir, kill);
    if (res.killed) {
      kills += 1;
      continue;
    }
    finished = res;
    break;
  }
  let outcome;
  try {
    outcome =
      finished === null ? { problems: ["never finished"], executions: 0, reruns: 0 } : verify(dir, tasks);
  } catch (error) {
    outcome = { problems: [`verification crashed: ${error.stack ?? error}`], executions: 0, reruns: 0 };
  }
  if (finished && finished.code !== 0)
    outcome.problems.push(`final run exited ${finished.code}: ${finished.stderr.slice(-500)}`);
  const ok = outcome.problems.length === 0;
  if (!ok) failed += 1;
  results.push({
    seed,
    tasks: taskCount,
    kills,
    runs: attempts,
    executions: outcome.executions,
    interrupted_reruns: outcome.reruns,
    requeued: outcome.requeued,
    recoveries: outcome.recoveries,
    ok,
    problems: outcome.problems.slice(0, 10),
  });
  log(
    `seed ${seed}: ${ok ? "ok" : "FAILED"} — ${kills} kill(s), ${attempts} run(s), ${outcome.recoveries} recoveries, ${outcome.requeued} task(s) re-queued, ${outcome.executions} executions for ${taskCount} tasks${ok ? "" : `\n  ${outcome.problems.slice(0, 10).join("\n  ")}`}`,
  );
  if (ok) rmSync(dir, { recursive: true, force: true });
  else log(`  state kept in ${dir}`);
}
if (json) process.stdout.write(`${JSON.stringify({ runs: results, failed })}\n`);
log(`soak-run: ${runs - failed}/${runs} seeded runs passed`);
process.exitCode = failed === 0 ? 0 : 1;
