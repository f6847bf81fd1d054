// Generates a large, valid weft repository for the validator benchmark (bench/validate.mjs) and its short test
// variant: N tasks in workstreams of 100, registries, config, and a `.state` whose transitions.jsonl (with the
// sha256 hash chain) grows to a target size through legal task transitions (retry loops), then every task
// completes; current.json, the indices and the dag/plan documents match it. Deterministic for a seed. The log is
// written in 1 MB chunks; nothing holds it whole in memory.
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { applyEvent, createStateModel, STATE_MACHINES, snapshotFromModel } from "@weft/core-schema";
import { computePlans } from "@weft/dag";
import { computeIndices } from "@weft/state-store";

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const json = (v) => `${JSON.stringify(v, null, 2)}\n`;

/**
 * @param {string} dir
 * @param {{ tasks?: number, logBytes?: number, seed?: number, perWorkstream?: number }} [options]
 * @returns {Promise<{ tasks: number, events: number, logBytes: number }>}
 */
export async function generateLargeRepo(dir, options = {}) {
  const taskCount = options.tasks ?? 5000;
  const logBytes = options.logBytes ?? 100 * 1024 * 1024;
  const perWs = options.perWorkstream ?? 100;
  const rand = rng(options.seed ?? 42);
  mkdirSync(join(dir, "capabilities"), { recursive: true });
  mkdirSync(join(dir, ".state"), { recursive: true });
  writeFileSync(
    join(dir, "capabilities", "registry.json"),
    json([
      { CapabilityId: "node", Version: "20.19.0", Name: "Node", Stability: "stable" },
      { CapabilityId: "python", Version: "3.11.0", Name: "Python", Stability: "stable" },
    ]),
  );
  writeFileSync(
    join(dir, "capabilities", "resources.json"),
    json([{ ResourceId: "db", Type: "shared", MaxHolders: 4 }]),
  );
  writeFileSync(
    join(dir, "weft.config.json"),
    json({ schema_version: "1.0.0", gates: { tests_passing: "npm test" } }),
  );

  const tasks = [];
  for (let i = 0; i < taskCount; i++) {
    const ws = `ws-${String(Math.floor(i / perWs)).padStart(3, "0")}`;
    const first = Math.floor(i / perWs) * perWs;
    const id = `t-${String(i).padStart(5, "0")}`;
    const deps = new Set();
    if (i > first)
      for (let k = 0; k < 2; k++)
        deps.add(`t-${String(first + Math.floor(rand() * (i - first))).padStart(5, "0")}`);
    const type = i % 3 === 0 ? "pytest" : "custom";
    const task = {
      schema_version: "2.0.0",
      task_id: id,
      workstream_id: ws,
      name: `Task ${i}`,
      description: `generated task ${i}`,
      type,
      status: "pending",
      dependencies: [...deps].sort(),
      blocks: [],
      worker_requirements: { capabilities: [type === "pytest" ? "python" : "node"] },
      execution: { command: "true", timeout_seconds: 60, max_retries: 1000, retry_delay_seconds: 1 },
      context_requirements: {
        max_context_tokens: 8000,
        required_files: [],
        optional_files: [],
        exclude_patterns: [],
      },
      validation_rules: { pre_execution: [], post_execution: type === "pytest" ? ["tests_passing"] : [] },
      resource_requirements: i % 10 === 0 ? { db: "shared" } : {},
    };
    tasks.push(task);
    mkdirSync(join(dir, "tasks", ws), { recursive: true });
    writeFileSync(join(dir, "tasks", ws, `${id}.json`), json(task));
  }

  const model = createStateModel();
  const fd = openSync(join(dir, ".state", "transitions.jsonl"), "w");
  let buf = [];
  let bufBytes = 0;
  let written = 0;
  let seq = 0;
  let prev = null;
  let clock = Date.parse("2026-01-01T00:00:00.000Z");
  const recent = [];
  const flush = () => {
    if (buf.length === 0) return;
    const text = buf.join("");
    writeSync(fd, text);
    written += Buffer.byteLength(text);
    buf = [];
    bufBytes = 0;
  };
  const emit = (draft) => {
    seq += 1;
    clock += 1;
    const line = {
      schema_version: "1.0.0",
      seq,
      event_id: `ev-${seq}`,
      timestamp: new Date(clock).toISOString(),
      ...draft,
      ...(prev === null ? {} : { prev_hash: createHash("sha256").update(prev).digest("hex") }),
    };
    const text = JSON.stringify(line);
    applyEvent(model, line);
    recent.push(line);
    if (recent.length > 50) recent.shift();
    prev = text;
    buf.push(`${text}\n`);
    bufBytes += text.length + 1;
    if (bufBytes >= 1 << 20) flush();
  };
  const base = (entity, id, extra) => ({
    actor: "system",
    metadata: {},
    entity_type: entity,
    entity_id: id,
    ...extra,
  });
  const step = (machine, id, from, to, trigger, extra = {}) => {
    const t = machine.transitions.find((x) => x.from.includes(from) && x.to === to && x.trigger === trigger);
    if (!t) throw new Error(`illegal ${machine.id} ${from} → ${to} (${trigger})`);
    emit({
      event: t.event,
      event_type: `${machine.id}_state_transition`,
      severity: t.severity,
      ...base(machine.id, id, extra),
      from_state: from,
      to_state: to,
      trigger,
    });
  };
  const { task: TM, workstream: WM, worker: KM } = STATE_MACHINES;
  const wsIds = [...new Set(tasks.map((t) => t.workstream_id))];
  for (const ws of wsIds)
    emit({
      event: "workstream_registered",
      event_type: "system",
      severity: "info",
      ...base("workstream", ws, { workstream_id: ws }),
      metadata: { record: { name: ws } },
    });
  for (const t of tasks) {
    emit({
      event: "task_registered",
      event_type: "system",
      severity: "info",
      ...base("task", t.task_id, { workstream_id: t.workstream_id, task_id: t.task_id }),
      metadata: {
        record: {
          workstream_id: t.workstream_id,
          name: t.name,
          type: t.type,
          dependencies: t.dependencies,
          max_retries: 1000,
        },
      },
    });
  }
  const workers = ["w1", "w2", "w3", "w4"];
  for (const w of workers) step(KM, w, "initializing", "idle", "registered", { worker_id: w });
  for (const ws of wsIds) {
    step(WM, ws, "planned", "ready", "tasks_created", { workstream_id: ws });
    step(WM, ws, "ready", "executing", "first_task_started", { workstream_id: ws });
  }
  const te = (t, extra = {}) => ({ workstream_id: t.workstream_id, task_id: t.task_id, ...extra });
  for (const t of tasks) step(TM, t.task_id, "pending", "queued", "scheduler_assigned", te(t));
  // Retry loops until the log reaches its size (leaving room for the final completions).
  const finalBytes = taskCount * 3 * 520 + wsIds.length * 2 * 520;
  let round = 0;
  while (written + bufBytes + finalBytes < logBytes) {
    for (const t of tasks) {
      const w = workers[(round + tasks.indexOf(t)) % workers.length];
      step(TM, t.task_id, "queued", "running", "worker_started", te(t, { worker_id: w }));
      step(TM, t.task_id, "running", "retrying", "execution_failed", te(t));
      step(TM, t.task_id, "retrying", "queued", "retry_delay_elapsed", te(t));
      if (written + bufBytes + finalBytes >= logBytes) break;
    }
    round++;
  }
  for (const t of tasks) {
    step(TM, t.task_id, "queued", "running", "worker_started", te(t, { worker_id: "w1" }));
    step(TM, t.task_id, "running", "validating", "execution_completed", te(t));
    step(TM, t.task_id, "validating", "completed", "validation_passed", te(t));
  }
  for (const ws of wsIds) {
    step(WM, ws, "executing", "validating", "all_tasks_settled", { workstream_id: ws });
    step(WM, ws, "validating", "completed", "validation_passed", { workstream_id: ws });
  }
  flush();
  closeSync(fd);

  const snapshot = snapshotFromModel(model, recent);
  writeFileSync(join(dir, ".state", "current.json"), json(snapshot));
  const idx = computeIndices(snapshot, snapshot.timestamp);
  writeFileSync(join(dir, ".state", "by_workstream.json"), json(idx.byWorkstream));
  writeFileSync(join(dir, ".state", "by_status.json"), json(idx.byStatus));
  writeFileSync(join(dir, ".state", "by_worker.json"), json(idx.byWorker));
  const plan = computePlans(tasks, {
    workers: 4,
    generatedAt: snapshot.timestamp,
    workstreams: [],
    resources: [],
  });
  for (const ws of plan.workstreams) {
    if (ws.dag) writeFileSync(join(dir, ".state", `dag_${ws.workstreamId}.json`), json(ws.dag));
    if (ws.plan) writeFileSync(join(dir, ".state", `execution_plan_${ws.workstreamId}.json`), json(ws.plan));
  }
  return { tasks: taskCount, events: seq, logBytes: written };
}
