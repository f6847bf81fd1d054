import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type EventDraft, requireTransition, STATE_MACHINES, type StateMachine } from "@weft/core-schema";
import { computePlans } from "@weft/dag";
import { loadRepo } from "@weft/loader";
import { openStateStore } from "@weft/state-store";

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, "..", "fixtures");
/** weft's own docs folder (the clean repo checks against the real documents). */
export const WEFT_DOCS = join(here, "..", "..", "..", "..", "docs");

function transition(
  machine: StateMachine,
  id: string,
  from: string,
  to: string,
  trigger: string,
  extra: Partial<EventDraft> = {},
): EventDraft {
  const t = requireTransition(machine, from, to, trigger);
  return {
    event: t.event,
    event_type: `${machine.id}_state_transition` as EventDraft["event_type"],
    severity: t.severity,
    entity_type: machine.id,
    entity_id: id,
    from_state: from,
    to_state: to,
    trigger,
    actor: "system",
    metadata: {},
    ...(machine.id === "task" ? { task_id: id } : {}),
    ...(machine.id === "worker" ? { worker_id: id } : {}),
    ...extra,
  };
}

const { task, workstream, worker } = STATE_MACHINES;

/** The events of a small run: a1 completed, a2 running on w1, a3 and b1 pending. */
export function cleanRunEvents(): EventDraft[] {
  const reg = (
    entity: "task" | "workstream",
    id: string,
    ws: string,
    record: Record<string, unknown>,
  ): EventDraft => ({
    event: `${entity}_registered`,
    event_type: "system",
    severity: "info",
    entity_type: entity,
    entity_id: id,
    workstream_id: ws,
    ...(entity === "task" ? { task_id: id } : {}),
    actor: "system",
    metadata: { record },
  });
  const ws = { workstream_id: "ws-a" };
  return [
    reg("workstream", "ws-a", "ws-a", { name: "Feature A" }),
    reg("workstream", "ws-b", "ws-b", { name: "ws-b" }),
    reg("task", "a1", "ws-a", {
      workstream_id: "ws-a",
      name: "Implement feature A",
      type: "aider",
      max_retries: 1,
    }),
    reg("task", "a2", "ws-a", { workstream_id: "ws-a", name: "Lint", type: "lint", dependencies: ["a1"] }),
    reg("task", "a3", "ws-a", {
      workstream_id: "ws-a",
      name: "Test",
      type: "pytest",
      dependencies: ["a2"],
      max_retries: 2,
    }),
    reg("task", "b1", "ws-b", { workstream_id: "ws-b", name: "Render docs", type: "custom" }),
    transition(worker, "w1", "initializing", "idle", "registered"),
    transition(workstream, "ws-a", "planned", "ready", "tasks_created", ws),
    transition(workstream, "ws-b", "planned", "ready", "tasks_created", { workstream_id: "ws-b" }),
    transition(task, "a1", "pending", "queued", "scheduler_assigned", ws),
    transition(task, "a1", "queued", "running", "worker_started", { ...ws, worker_id: "w1" }),
    transition(worker, "w1", "idle", "busy", "task_assigned", { task_id: "a1" }),
    transition(workstream, "ws-a", "ready", "executing", "first_task_started", ws),
    transition(task, "a1", "running", "validating", "execution_completed", ws),
    transition(task, "a1", "validating", "completed", "validation_passed", ws),
    transition(worker, "w1", "busy", "idle", "task_finished", { task_id: "a1" }),
    transition(task, "a2", "pending", "queued", "scheduler_assigned", ws),
    transition(task, "a2", "queued", "running", "worker_started", { ...ws, worker_id: "w1" }),
    transition(worker, "w1", "idle", "busy", "task_assigned", { task_id: "a2" }),
  ];
}

/**
 * Builds a clean weft repo in `dir`: the fixture definitions, weft's own docs, a `.state` written by the real
 * @weft/state-store (snapshot, log with hash chain, indices) and dag/plan documents from @weft/dag.
 */
export async function makeCleanRepo(dir: string): Promise<void> {
  cpSync(join(FIXTURES, "clean-repo"), dir, { recursive: true });
  mkdirSync(join(dir, "docs"), { recursive: true });
  for (const sub of [
    "failure_modes",
    "execution_model",
    "state_machines",
    "schema_migrations",
    "operations",
  ]) {
    if (existsSync(join(WEFT_DOCS, sub)))
      cpSync(join(WEFT_DOCS, sub), join(dir, "docs", sub), { recursive: true });
  }
  if (!existsSync(join(dir, "docs", "operations", "AUDIT_RETENTION.md"))) {
    mkdirSync(join(dir, "docs", "operations"), { recursive: true });
    writeFileSync(
      join(dir, "docs", "operations", "AUDIT_RETENTION.md"),
      readFileSync(join(FIXTURES, "AUDIT_RETENTION.fallback.md")),
    );
  }
  let t = Date.parse("2026-01-15T10:00:00.000Z");
  const now = (): Date => {
    t += 7;
    return new Date(t);
  };
  const { store } = await openStateStore({ stateDir: join(dir, ".state"), now });
  for (const e of cleanRunEvents()) store.commit([e]);
  await store.flush();
  await store.close();
  const { repo } = await loadRepo({ cwd: dir });
  const plan = computePlans(repo.tasks, {
    workers: 2,
    generatedAt: "2026-01-15T10:05:00.000Z",
    resources: repo.resources,
    capabilities: repo.capabilities,
    workstreams: repo.workstreams,
  });
  for (const ws of plan.workstreams) {
    if (ws.dag)
      writeFileSync(
        join(dir, ".state", `dag_${ws.workstreamId}.json`),
        `${JSON.stringify(ws.dag, null, 2)}\n`,
      );
    if (ws.plan)
      writeFileSync(
        join(dir, ".state", `execution_plan_${ws.workstreamId}.json`),
        `${JSON.stringify(ws.plan, null, 2)}\n`,
      );
  }
}
