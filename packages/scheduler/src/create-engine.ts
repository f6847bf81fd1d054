import { statSync } from "node:fs";
import { hostname } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import {
  type AttemptError,
  type AttemptResult,
  type CapabilityEntry,
  type EventDraft,
  type EventLine,
  type Logger,
  type ResourceEntry,
  type StateStorePort,
  silentLogger,
  type TaskDefinition,
  type TaskRecord,
  type TaskRunContext,
  type TaskRunner,
  type TaskStatus,
  type WeftConfig,
  WeftError,
  type WorkstreamDefinition,
  type WorkstreamRecord,
  type WorkstreamStatus,
} from "@weft/core-schema";
import { analyzeGraph, buildTaskGraphs, findCycles } from "@weft/dag";
import { computeBackoffSeconds } from "./backoff.js";
import { ReadyHeap } from "./choose-next.js";
import {
  attemptResultOf,
  createCommandRunner,
  runShellCommand,
  type ShellCommand,
  type ShellResult,
  shellCommandFor,
} from "./command-runner.js";
import { deriveWorkstreamStatus } from "./derive-workstream-status.js";
import { matchCapabilities, type WorkerCapability } from "./match-capabilities.js";
import { isGroupAlive, processState, signalGroup } from "./process-group.js";
import { resolveGateRule } from "./resolve-gate-rule.js";
import { ResourcePool } from "./resource-pool.js";
import { type LauncherKind, type SpawnLauncher, startSpawnLauncher } from "./spawn-launcher.js";
import { plainEvent, taskEvent, workerEvent, workstreamEvent } from "./transition-events.js";
import type { WorkspacePort } from "./workspace-port.js";

/** The loaded repository the engine runs (the shape `@weft/loader` returns). */
export interface EngineRepo {
  readonly tasks: readonly TaskDefinition[];
  readonly workstreams: readonly WorkstreamDefinition[];
  readonly capabilities: readonly CapabilityEntry[];
  readonly resources: readonly ResourceEntry[];
  readonly config: WeftConfig;
}

/** Options of {@link createEngine}. Everything effectful is injected (STYLE: clock, logger, signal, cwd). */
export interface EngineOptions {
  readonly repo: EngineRepo;
  /** The user's repository (isolation `none` runs here). */
  readonly repoRoot: string;
  /** The `.state` directory (archives of failed workstreams go under it). Default `<repoRoot>/.state`. */
  readonly stateDir?: string;
  readonly store: StateStorePort;
  /** Git operations; required when a workstream runs with isolation `worktree`. */
  readonly workspace?: WorkspacePort;
  /** Runners by task type; `lint`/`pytest`/`custom` default to the command runner. `aider` must be given to run aider tasks. */
  readonly runners?: Partial<Record<string, TaskRunner>>;
  /** Local workers (`--workers N`); default: config.workers.count, else 2. */
  readonly workers?: number;
  /** What local workers advertise (detected + config). */
  readonly workerCapabilities?: readonly WorkerCapability[];
  /** `--isolation` override. */
  readonly isolation?: "worktree" | "none";
  /** `--workstream` filter (ids). */
  readonly workstreams?: readonly string[];
  readonly failFast?: boolean;
  /** First SIGINT: stop scheduling, let running tasks finish within `graceMs`, then kill. */
  readonly signal?: AbortSignal;
  /** Second SIGINT: kill at once. */
  readonly hardSignal?: AbortSignal;
  /** Grace period after the first SIGINT (default 30 s). */
  readonly graceMs?: number;
  /** Wall clock in ms (default Date.now). */
  readonly now?: () => number;
  readonly logger?: Logger;
  /** Every committed event line, in order (live view, NDJSON). */
  readonly onEvent?: (lines: readonly EventLine[]) => void;
  /** Output chunks of running tasks (live view). */
  readonly onOutput?: (taskId: string, chunk: string) => void;
  /**
   * Spawn command tasks and gates through a long-lived launcher process (the native `weft-spawn` where it is built,
   * else `launcher/spawn-launcher.mjs`; WEFT_LAUNCHER=node picks the latter) instead of forking this process per
   * task. Default true; false spawns directly (same behaviour, slower).
   */
  readonly spawnLauncher?: boolean;
  readonly runId?: string;
  readonly host?: string;
  /** Heartbeat probe of a busy local worker (default: its process group is alive and not stopped). */
  readonly heartbeatProbe?: (workerId: string, pid: number | null) => boolean;
  /** Estimates a task's context tokens from its required files (default: bytes / 4). */
  readonly contextTokens?: (task: TaskDefinition, worktree: string) => number;
}

/** What a run ended with. */
export interface RunSummary {
  readonly runId: string;
  readonly status: "completed" | "failed" | "interrupted";
  readonly workstreams: Readonly<Record<string, WorkstreamStatus>>;
  readonly tasks: Readonly<Partial<Record<TaskStatus, number>>>;
  /** Ready → running latency (ms): from the moment a task and an idle worker were both available to its start. */
  readonly latency: {
    readonly count: number;
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
  };
  /** The spawn launcher that ran the commands ("native": posix_spawn, "node"), null when none was started. */
  readonly launcher: LauncherKind | null;
  readonly durationMs: number;
}

/** A problem found before anything runs (SPEC §6–§8: plan time). */
export interface PlanProblem {
  readonly code:
    | "SCHED_UNKNOWN_RULE"
    | "SCHED_NO_CAPABLE_WORKER"
    | "SCHED_RESOURCE_UNSATISFIABLE"
    | "DAG_CYCLE"
    | "SCHED_NO_RUNNER";
  readonly message: string;
  readonly task_id?: string;
  readonly workstream_id?: string;
}

export interface Engine {
  /** Problems that stop a run (computed without side effects). */
  plan(): readonly PlanProblem[];
  /** Runs until every selected workstream settled, or the run is interrupted. */
  run(): Promise<RunSummary>;
  /** `weft cancel` inside a live run (manual_override). */
  cancel(id: string, actor?: string): void;
}

const TERMINAL_TASK = new Set<TaskStatus>(["completed", "failed", "cancelled"]);
const TERMINAL_WS = new Set<WorkstreamStatus>(["completed", "failed", "cancelled"]);
const NO_RETRY_ERRORS = new Set<AttemptError["type"]>([
  "context_overflow",
  "context_window_exceeded",
  "config_error",
  "boundary_violation",
  "insufficient_context",
  "auth_error",
]);

interface WsRt {
  readonly id: string;
  readonly def: WorkstreamDefinition;
  readonly tasks: TaskRt[];
  readonly isolation: "worktree" | "none";
  readonly counts: Partial<Record<TaskStatus, number>>;
  criticalTotal: number;
  criticalCompleted: number;
  criticalFailed: number;
  everStarted: boolean;
  running: number;
  selected: boolean;
  cyclic: boolean;
  /** The cycles of its task graph (ids in dependency order), from @weft/dag. */
  cycles: string[][];
  phase: "idle" | "preparing" | "active" | "finalizing" | "done";
  worktree: string | null;
  headCommit: string | null;
  timeoutTimer: NodeJS.Timeout | null;
  dependents: WsRt[];
  deps: WsRt[];
}

interface TaskRt {
  readonly id: string;
  readonly def: TaskDefinition;
  readonly ws: WsRt;
  readonly deps: TaskRt[];
  readonly dependents: TaskRt[];
  remaining: number;
  readonly priority: number;
  pendingDeps: number;
  queuedAt: number;
  deferredSince: number | null;
  starving: boolean;
  controller: AbortController | null;
  abortReason: "cancel" | "shutdown" | "worker_lost" | "ws_timeout" | null;
  worker: WorkerRt | null;
  pid: number | null;
  /** PIPELINE: the gate being fixed, its failing outputs so far (latest last), the fix number. */
  fix: { gate: string; outputs: string[]; fixAttempt: number } | null;
  inHeap: boolean;
  /** Never launch this task ahead again (its launch-ahead spawn failed). */
  noAhead: boolean;
}

/**
 * A command handed to the spawn launcher to start the moment the worker's current command exits with code 0 — no
 * round trip through the orchestrator between the two (DESIGN §6). The task stays `queued` until it has started
 * *and* the worker's current task has been released; then it is announced (worker busy, task running) as if
 * {@link launch} had started it. Only for plain command tasks in `--isolation none` (`aheadPossible`,
 * `isPlainCommand`).
 */
interface Ahead {
  readonly t: TaskRt;
  readonly attempt: number;
  readonly controller: AbortController;
  /** Takes it back while it waits (a worker fell idle and could run it now); no effect once it has started. */
  readonly unlaunch: AbortController;
  readonly timeoutMs: number;
  pid: number | null;
  /** The worker's current task has been released (its events written). */
  predecessorDone: boolean;
  begun: boolean;
  /** Not wanted any more (stop, cancel, settled workstream): killed or dropped, never announced. */
  discarded: boolean;
  /** Its result, when it came before the predecessor was released. */
  result: ShellResult | null;
}

interface WorkerRt {
  readonly id: string;
  readonly caps: readonly WorkerCapability[];
  task: TaskRt | null;
  idleSince: number;
  missed: number;
  unresponsiveSince: number | null;
  shutdown: boolean;
  ahead: Ahead | null;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

/**
 * The engine (SM-DEF-001..003, CONC-REG-002, ERR-FM-001..003): a thin effectful shell around the pure modules
 * (ready set, choose-next heap, resource pool, capability matching, backoff, workstream derivation). Every change goes
 * through the state machines ({@link taskEvent} & co. throw on an illegal transition) and is committed to the store.
 */
export function createEngine(options: EngineOptions): Engine {
  const { repo, store } = options;
  const config = repo.config;
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const runId = options.runId ?? `run-${Date.now().toString(36)}-${process.pid}`;
  const host = options.host ?? hostname();
  const stateDir = options.stateDir ?? join(options.repoRoot, ".state");
  // Command tasks and gates spawn through a long-lived launcher process (started when a run with command tasks
  // starts, else on first use; closed when the run ends): fork() of this process would block the event loop for
  // milliseconds per task (DESIGN §6).
  let launcher: SpawnLauncher | null | undefined;
  const startLauncher = (): void => {
    if (launcher === undefined)
      launcher = options.spawnLauncher === false ? null : startSpawnLauncher({ logger });
  };
  const execShell = (cmd: ShellCommand): Promise<ShellResult> => {
    startLauncher();
    return launcher ? launcher.run(cmd) : runShellCommand(cmd);
  };
  const commandRunner = createCommandRunner(execShell);
  const killGraceMs = config.defaults.kill_grace_seconds * 1000;
  const workerCount = Math.max(1, options.workers ?? config.workers.count ?? 2);
  const workerCaps: readonly WorkerCapability[] = options.workerCapabilities ?? config.workers.capabilities;
  const selectedIds =
    options.workstreams && options.workstreams.length > 0 ? new Set(options.workstreams) : null;

  // ---------- build the runtime graph ----------
  const wsById = new Map<string, WsRt>();
  const wsDefs = new Map(repo.workstreams.map((w) => [w.workstream_id, w]));
  for (const t of repo.tasks) {
    if (!wsDefs.has(t.workstream_id))
      wsDefs.set(t.workstream_id, { workstream_id: t.workstream_id } as WorkstreamDefinition);
  }
  for (const [id, def0] of [...wsDefs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const def: WorkstreamDefinition = {
      schema_version: "1.0.0",
      description: "",
      depends_on: [],
      merge: { strategy: config.merge.strategy },
      bootstrap: { copy: [], commands: [] },
      final_validation: [],
      isolation: config.isolation,
      ...(def0 as Partial<WorkstreamDefinition>),
    } as WorkstreamDefinition;
    wsById.set(id, {
      id,
      def,
      tasks: [],
      isolation: options.isolation ?? def.isolation ?? config.isolation,
      counts: {},
      criticalTotal: 0,
      criticalCompleted: 0,
      criticalFailed: 0,
      everStarted: false,
      running: 0,
      selected: selectedIds === null || selectedIds.has(id),
      cyclic: false,
      cycles: [],
      phase: "idle",
      worktree: null,
      headCommit: null,
      timeoutTimer: null,
      dependents: [],
      deps: [],
    });
  }
  for (const ws of wsById.values()) {
    for (const d of ws.def.depends_on) {
      const dep = wsById.get(d);
      if (dep) {
        ws.deps.push(dep);
        dep.dependents.push(ws);
      }
    }
  }
  const taskById = new Map<string, TaskRt>();
  for (const def of repo.tasks) {
    const ws = wsById.get(def.workstream_id)!;
    const rt: TaskRt = {
      id: def.task_id,
      def,
      ws,
      deps: [],
      dependents: [],
      remaining: 0,
      priority: def.priority ?? 0,
      pendingDeps: 0,
      queuedAt: 0,
      deferredSince: null,
      starving: false,
      controller: null,
      abortReason: null,
      worker: null,
      pid: null,
      fix: null,
      inHeap: false,
      noAhead: false,
    };
    taskById.set(def.task_id, rt);
    ws.tasks.push(rt);
  }
  // SPEC §3: the union of `dependencies` and the inverse of `blocks`, inside one workstream.
  const depIds = new Map<string, Set<string>>();
  for (const def of repo.tasks) depIds.set(def.task_id, new Set(def.dependencies));
  for (const def of repo.tasks) for (const b of def.blocks) depIds.get(b)?.add(def.task_id);
  for (const rt of taskById.values()) {
    for (const d of depIds.get(rt.id) ?? []) {
      const dep = taskById.get(d);
      if (!dep || dep.ws !== rt.ws || dep === rt) continue;
      rt.deps.push(dep);
      dep.dependents.push(rt);
    }
  }
  const estimateOf = (t: TaskDefinition): number =>
    t.estimated_duration_seconds ?? config.defaults.estimate_seconds_by_type[t.type] ?? 30;
  // Longest remaining path (ready-queue priority) and Dependency-Cycle come from @weft/dag (SPEC §8).
  for (const g of buildTaskGraphs(repo.tasks).graphs) {
    const ws = wsById.get(g.workstreamId);
    if (!ws) continue;
    const cycles = findCycles(g);
    if (cycles.length > 0) {
      ws.cyclic = true;
      ws.cycles = cycles.map((c) => c.map((v) => g.ids[v]!));
      continue;
    }
    const durations = Float64Array.from(g.tasks, (t) => estimateOf(taskById.get(t.task_id)!.def));
    const priorities = Float64Array.from(g.tasks, (t) => t.priority ?? 0);
    const analysis = analyzeGraph(g, durations, priorities);
    g.ids.forEach((id, i) => {
      const rt = taskById.get(id);
      if (rt && rt.ws === ws) rt.remaining = analysis.remaining[i]!;
    });
  }

  const pool = new ResourcePool(repo.resources, now());

  // ---------- plan-time checks ----------
  function plan(): PlanProblem[] {
    const problems: PlanProblem[] = [];
    const rulesChecked = new Set<string>();
    const checkRule = (name: string, where: { task_id?: string; workstream_id?: string }): void => {
      if (rulesChecked.has(name)) return;
      const rule = resolveGateRule(name, config);
      if (rule.kind === "unknown") {
        rulesChecked.add(name);
        problems.push({ code: "SCHED_UNKNOWN_RULE", message: `validation rule: ${rule.reason}`, ...where });
      }
    };
    for (const ws of wsById.values()) {
      if (!ws.selected) continue;
      if (ws.cyclic) {
        const cycles = ws.cycles;
        problems.push({
          code: "DAG_CYCLE",
          message: `workstream '${ws.id}' has a dependency cycle: ${cycles.map((c) => c.join(" → ")).join("; ")}`,
          workstream_id: ws.id,
        });
      }
      for (const g of ws.def.final_validation) checkRule(g, { workstream_id: ws.id });
      for (const t of ws.tasks) {
        for (const r of [...t.def.validation_rules.pre_execution, ...t.def.validation_rules.post_execution]) {
          checkRule(r, { task_id: t.id, workstream_id: ws.id });
        }
        const caps = matchCapabilities(
          repo.capabilities,
          t.def.worker_requirements.capabilities,
          t.def.worker_requirements.min_version,
          workerCaps,
        );
        if (caps !== null) {
          problems.push({
            code: "SCHED_NO_CAPABLE_WORKER",
            message: `task '${t.id}': no worker can run it (${caps})`,
            task_id: t.id,
            workstream_id: ws.id,
          });
        }
        const res = pool.unsatisfiable(t.def.resource_requirements);
        if (res !== null) {
          problems.push({
            code: "SCHED_RESOURCE_UNSATISFIABLE",
            message: `task '${t.id}': ${res}`,
            task_id: t.id,
            workstream_id: ws.id,
          });
        }
        if (runnerFor(t.def) === undefined) {
          problems.push({
            code: "SCHED_NO_RUNNER",
            message: `task '${t.id}': no runner for type '${t.def.type}'`,
            task_id: t.id,
            workstream_id: ws.id,
          });
        }
      }
    }
    return problems;
  }

  function runnerFor(def: TaskDefinition): TaskRunner | undefined {
    const injected = options.runners?.[def.type];
    if (injected) return injected;
    return def.type === "aider" ? undefined : commandRunner;
  }

  // ---------- state access & commits ----------
  const statusOf = (t: TaskRt): TaskStatus =>
    (store.model.tasks.get(t.id)?.status ?? "pending") as TaskStatus;
  const recordOf = (t: TaskRt): TaskRecord | undefined => store.model.tasks.get(t.id);
  /** Queued in a workstream that is active and not settled: a worker may start it. */
  const startable = (t: TaskRt): boolean =>
    statusOf(t) === "queued" && t.ws.phase === "active" && !TERMINAL_WS.has(wsStatusOf(t.ws));
  const wsStatusOf = (ws: WsRt): WorkstreamStatus =>
    (store.model.workstreams.get(ws.id)?.status ?? "planned") as WorkstreamStatus;

  function emit(drafts: readonly EventDraft[]): readonly EventLine[] {
    if (drafts.length === 0) return [];
    const lines = store.commit(drafts);
    for (const line of lines) {
      if (line.entity_type !== "task" || line.to_state === null) continue;
      const t = taskById.get(line.entity_id);
      if (!t) continue;
      const from = line.from_state as TaskStatus | null;
      const to = line.to_state as TaskStatus;
      if (from !== null) t.ws.counts[from] = (t.ws.counts[from] ?? 1) - 1;
      t.ws.counts[to] = (t.ws.counts[to] ?? 0) + 1;
      if (t.def.critical) {
        if (from === "completed") t.ws.criticalCompleted -= 1;
        if (from === "failed") t.ws.criticalFailed -= 1;
        if (to === "completed") t.ws.criticalCompleted += 1;
        if (to === "failed") t.ws.criticalFailed += 1;
      }
      if (to === "running") t.ws.everStarted = true;
    }
    options.onEvent?.(lines);
    return lines;
  }

  // ---------- workers ----------
  const workers: WorkerRt[] = [];
  const idle: WorkerRt[] = [];
  let workerSeq = 0;
  const runTag = runId.replace(/[^A-Za-z0-9._-]/g, "-").slice(-24);
  function addWorker(): WorkerRt {
    workerSeq += 1;
    const w: WorkerRt = {
      id: `local-${workerSeq}.${runTag}`,
      caps: workerCaps,
      task: null,
      idleSince: performance.now(),
      missed: 0,
      unresponsiveSince: null,
      shutdown: false,
      ahead: null,
    };
    workers.push(w);
    emit([
      workerEvent(w.id, "initializing", "idle", "registered", {
        metadata: {
          record: {
            capabilities: w.caps.map((c) => ({ name: c.name, version: c.version })),
            host,
            current_task: null,
            last_heartbeat: new Date(now()).toISOString(),
          },
        },
      }),
    ]);
    idle.push(w);
    return w;
  }

  // ---------- scheduling ----------
  const heap = new ReadyHeap<TaskRt>();
  const latencies: number[] = [];
  let stopping = false;
  let stopReason: "interrupted" | "fail_fast" | null = null;
  const pendingWork = new Set<Promise<unknown>>();
  const retryTimers = new Map<string, NodeJS.Timeout>();
  let wakeTimer: NodeJS.Timeout | null = null;
  let resolveIdle: (() => void) | null = null;

  function track<T>(p: Promise<T>): Promise<T> {
    pendingWork.add(p);
    const done = (): void => {
      pendingWork.delete(p);
      checkDone();
    };
    p.then(done, (error: unknown) => {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, "engine step failed");
      done();
    });
    return p;
  }

  function enqueue(t: TaskRt): void {
    t.queuedAt = performance.now();
    if (!t.inHeap) {
      t.inHeap = true;
      heap.push(t);
    }
  }

  /** pending → queued for every task of an active workstream whose dependencies completed. */
  function promote(t: TaskRt): void {
    if (t.ws.phase !== "active" || stopping || TERMINAL_WS.has(wsStatusOf(t.ws))) return;
    if (statusOf(t) !== "pending" || t.pendingDeps > 0) return;
    emit([taskEvent(t.id, "pending", "queued", "scheduler_assigned", { workstream_id: t.ws.id })]);
    enqueue(t);
  }

  function blockDependents(t: TaskRt, cause: string): void {
    const drafts: EventDraft[] = [];
    const stack = [...t.dependents];
    const seen = new Set<TaskRt>();
    while (stack.length > 0) {
      const d = stack.pop()!;
      if (seen.has(d)) continue;
      seen.add(d);
      if (statusOf(d) !== "pending") continue;
      drafts.push(
        taskEvent(d.id, "pending", "blocked", "dependency_failed", {
          workstream_id: d.ws.id,
          metadata: {
            blocked_by: t.id,
            cause,
            record: {
              last_error: { type: "execution_failed", message: `dependency '${t.id}' ended ${cause}` },
            },
          },
        }),
      );
      // commit one by one so statusOf sees the change before the next level
      emit(drafts.splice(0));
      stack.push(...d.dependents);
    }
  }

  function dispatch(): void {
    if (stopping) return;
    const skipped: TaskRt[] = [];
    const reserved = new Set<string>();
    for (const t of starvingTasks())
      for (const k of Object.keys(t.def.resource_requirements)) reserved.add(pool.keyOf(k, t.ws.id));
    let earliestRetry = Number.POSITIVE_INFINITY;
    while (idle.length > 0 && heap.size > 0 && skipped.length < 512) {
      const t = heap.pop()!;
      t.inHeap = false;
      if (!startable(t)) continue;
      const wi = idle.findIndex((w) => canRun(w, t));
      if (wi < 0) {
        skipped.push(t);
        continue;
      }
      const reqs = t.def.resource_requirements;
      let hasReqs = false;
      for (const _ in reqs) {
        hasReqs = true;
        break;
      }
      if (hasReqs) {
        if (
          !t.starving &&
          reserved.size > 0 &&
          Object.keys(reqs).some((k) => reserved.has(pool.keyOf(k, t.ws.id)))
        ) {
          skipped.push(t);
          continue;
        }
        const got = pool.acquire(t.id, t.ws.id, reqs, now());
        if (!got.ok) {
          t.deferredSince ??= now();
          deferred.add(t);
          if (got.retryAtMs !== undefined) earliestRetry = Math.min(earliestRetry, got.retryAtMs);
          skipped.push(t);
          continue;
        }
        t.deferredSince = null;
        emitResourceViews(pool.heldBy(t.id));
      }
      const w = idle.splice(wi, 1)[0]!;
      start(t, w);
    }
    for (const t of skipped) {
      t.inHeap = true;
      heap.push(t);
    }
    if (Number.isFinite(earliestRetry)) scheduleWake(earliestRetry - now());
    if (idle.length > 0) reclaimWaitingAheads();
    for (const w of workers) tryLaunchAhead(w);
  }

  // ---------- launch ahead (DESIGN §6) ----------
  /** Launching ahead needs the spawn launcher and no git work between tasks (`--isolation none`). */
  function aheadPossible(): boolean {
    return (
      !stopping &&
      options.workspace === undefined &&
      options.onOutput === undefined &&
      store.taskLogFile !== undefined &&
      launcher?.alive === true
    );
  }

  /** A plain command task: no runner of its own, no gates, no resources, not a fix attempt. */
  function isPlainCommand(t: TaskRt): boolean {
    if (runnerFor(t.def) !== commandRunner || t.fix !== null) return false;
    const rules = t.def.validation_rules;
    if (rules.pre_execution.length > 0 || rules.post_execution.length > 0) return false;
    for (const _ in t.def.resource_requirements) return false;
    return true;
  }

  /**
   * A worker is idle while a task waits behind another worker's running command (which may run for minutes): take
   * the waiting ones back; the launcher drops them and they return to the ready heap (started ones stay).
   */
  function reclaimWaitingAheads(): void {
    for (const w of workers) {
      const ahead = w.ahead;
      if (ahead === null || ahead.begun || ahead.discarded || ahead.pid !== null) continue;
      const t = ahead.t;
      if (idle.some((i) => canRun(i, t))) ahead.unlaunch.abort();
    }
  }

  /** Launches the best queued plain command ahead on `w` when `w` runs a plain command that has started. */
  function tryLaunchAhead(w: WorkerRt): void {
    if (heap.size === 0 || !aheadPossible()) return;
    const current = w.task;
    if (w.shutdown || w.ahead !== null || current === null || current.pid === null) return;
    if (statusOf(current) !== "running" || !isPlainCommand(current)) return;
    const passed: TaskRt[] = [];
    let chosen: TaskRt | null = null;
    while (heap.size > 0 && passed.length < 16) {
      const t = heap.pop()!;
      t.inHeap = false;
      if (!startable(t)) continue;
      const fits = !t.noAhead && isPlainCommand(t) && canRun(w, t);
      if (fits) {
        chosen = t;
        break;
      }
      passed.push(t);
    }
    for (const t of passed) {
      t.inHeap = true;
      heap.push(t);
    }
    if (chosen !== null) launchAhead(chosen, w, current.pid);
  }

  function launchAhead(t: TaskRt, w: WorkerRt, afterPid: number): void {
    const attempt = (recordOf(t)?.attempt ?? 0) + 1;
    const worktree = t.ws.worktree ?? options.repoRoot;
    let cwd: string;
    try {
      cwd = cwdOf(t, worktree);
    } catch {
      t.noAhead = true; // launch() reports it
      enqueue(t);
      return;
    }
    const ahead: Ahead = {
      t,
      attempt,
      controller: new AbortController(),
      unlaunch: new AbortController(),
      timeoutMs: t.def.execution.timeout_seconds * 1000,
      pid: null,
      predecessorDone: false,
      begun: false,
      discarded: false,
      result: null,
    };
    w.ahead = ahead;
    const ctx: TaskRunContext = {
      worktree,
      cwd,
      attempt,
      signal: ahead.controller.signal,
      timeoutMs: ahead.timeoutMs,
      killGraceMs,
      env: envFor(t, worktree, attempt),
      log: (chunk) => store.appendTaskLog(t.id, chunk),
      logFile: store.taskLogFile!(t.id),
      config,
      onSpawn: (pid) => {
        ahead.pid = pid;
        maybeBeginAhead(w, ahead);
      },
      now: () => new Date(now()),
    };
    const cmd: ShellCommand = {
      ...shellCommandFor(t.def, ctx),
      header: attemptHeader(t, w, attempt, "{at}"),
      afterPid,
      unlaunch: ahead.unlaunch.signal,
    };
    track(execShell(cmd).then((r) => aheadSettled(w, ahead, r)));
  }

  function maybeBeginAhead(w: WorkerRt, ahead: Ahead): void {
    if (ahead.begun || ahead.discarded || !ahead.predecessorDone || ahead.pid === null) return;
    const t = ahead.t;
    if (w.shutdown || stopping || !startable(t)) {
      discardAhead(ahead);
      return;
    }
    ahead.begun = true;
    w.ahead = null;
    w.task = t;
    t.worker = w;
    t.controller = ahead.controller;
    t.abortReason = null;
    t.pid = ahead.pid;
    emit([
      workerEvent(w.id, "idle", "busy", "task_assigned", {
        task_id: t.id,
        workstream_id: t.ws.id,
        metadata: { record: { current_task: t.id } },
      }),
    ]);
    announceStart(t, w, ahead.attempt, ahead.pid, null, 0);
    if (ahead.result !== null) {
      const r = ahead.result;
      ahead.result = null;
      track(afterAttempt(t, w, ahead.attempt, attemptResultOf(r, ahead.timeoutMs)));
    } else tryLaunchAhead(w);
  }

  /** Stops a launch-ahead command that is no longer wanted: dropped if it is still waiting, else killed. */
  function discardAhead(ahead: Ahead): void {
    if (ahead.begun || ahead.discarded) return;
    ahead.discarded = true;
    ahead.controller.abort();
  }

  /** The worker's task is over but nothing may start on the worker (shut down, unresponsive). */
  function abandonAhead(w: WorkerRt): void {
    if (w.ahead === null) return;
    w.ahead.predecessorDone = true;
    discardAhead(w.ahead);
  }

  /** A task cancelled while it waits to be launched ahead. */
  function discardAheadOf(t: TaskRt): void {
    for (const w of workers) if (w.ahead?.t === t) discardAhead(w.ahead);
  }

  function aheadSettled(w: WorkerRt, ahead: Ahead, r: ShellResult): Promise<void> | undefined {
    const t = ahead.t;
    if (ahead.begun) return afterAttempt(t, w, ahead.attempt, attemptResultOf(r, ahead.timeoutMs));
    if (!ahead.discarded && r.notStarted !== true && r.spawnError === undefined && !ahead.predecessorDone) {
      // it ran (and ended) before its predecessor's release was processed: announced then
      ahead.result = r;
      return undefined;
    }
    // dropped, discarded or failed to spawn: the task never started as far as the state is concerned
    if (r.spawnError !== undefined) t.noAhead = true;
    if (w.ahead === ahead) w.ahead = null;
    const workerIdle = store.model.workers.get(w.id)?.status === "idle";
    if (ahead.predecessorDone && workerIdle && !w.shutdown && w.task === null && !idle.includes(w)) {
      w.idleSince = performance.now();
      idle.push(w);
    }
    if (statusOf(t) === "queued" && !stopping) enqueue(t);
    dispatch();
    return undefined;
  }

  /** The worker has the capabilities (and versions) the task asks for. */
  function canRun(w: WorkerRt, t: TaskRt): boolean {
    const req = t.def.worker_requirements;
    return matchCapabilities(repo.capabilities, req.capabilities, req.min_version, w.caps) === null;
  }

  function scheduleWake(ms: number): void {
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeTimer = setTimeout(
      () => {
        wakeTimer = null;
        dispatch();
        checkDone();
      },
      Math.max(1, ms),
    );
  }

  function* starvingTasks(): Iterable<TaskRt> {
    for (const t of starving) yield t;
  }
  const starving = new Set<TaskRt>();
  const deferred = new Set<TaskRt>();

  function emitResourceViews(keys: readonly string[]): void {
    const drafts: EventDraft[] = [];
    for (const key of keys) {
      const v = pool.view(key, now());
      if (!v) continue;
      drafts.push(
        plainEvent("resource_updated", "resource_event", "info", "resource", key, {
          record: {
            resource_id: key,
            type: v.type,
            capacity: v.capacity,
            holders: v.holders,
            tokens_left: v.tokens_left,
          },
        }),
      );
    }
    emit(drafts);
  }

  // ---------- running one attempt ----------
  function envFor(t: TaskRt, worktree: string, attempt: number): Record<string, string> {
    return {
      WEFT_TASK_ID: t.id,
      WEFT_WORKSTREAM_ID: t.ws.id,
      WEFT_ATTEMPT: String(attempt),
      WEFT_WORKTREE: worktree,
    };
  }

  function cwdOf(t: TaskRt, worktree: string): string {
    const wd = t.def.execution.working_directory || ".";
    if (isAbsolute(wd) || wd.split(/[\\/]/).includes("..")) {
      throw new WeftError(
        "AIDER_PATH_OUTSIDE_WORKTREE",
        `task '${t.id}': working_directory '${wd}' leaves the worktree`,
      );
    }
    return resolve(worktree, wd);
  }

  function start(t: TaskRt, w: WorkerRt): void {
    w.task = t;
    t.worker = w;
    const pre = t.def.validation_rules.pre_execution;
    const needsContextCheck = t.def.type === "aider" && t.def.context_requirements.required_files.length > 0;
    emit([
      workerEvent(w.id, "idle", "busy", "task_assigned", {
        task_id: t.id,
        workstream_id: t.ws.id,
        metadata: { record: { current_task: t.id } },
      }),
    ]);
    if (pre.length === 0 && !needsContextCheck) {
      launch(t, w);
      return;
    }
    track(
      (async () => {
        const worktree = t.ws.worktree ?? options.repoRoot;
        if (needsContextCheck) {
          const tokens = (options.contextTokens ?? defaultContextTokens)(t.def, worktree);
          const max = t.def.context_requirements.max_context_tokens;
          if (tokens > max) {
            finishEarly(t, w, "context_overflow", {
              type: "context_overflow",
              message: `required files need ~${tokens} tokens, max_context_tokens is ${max}`,
            });
            return;
          }
        }
        for (const rule of pre) {
          const r = await runGate(rule, t, worktree);
          if (!r.ok) {
            finishEarly(t, w, "pre_execution_failed", {
              type: "validation_failed",
              message: `pre-execution rule '${rule}' failed: ${r.output.slice(-500)}`,
            });
            return;
          }
        }
        if (statusOf(t) !== "queued" || stopping) {
          releaseWorker(t, w);
          if (statusOf(t) === "queued") enqueue(t);
          return;
        }
        launch(t, w);
      })(),
    );
  }

  /** queued → failed before anything ran (pre-execution rule, context overflow): no retry. */
  function finishEarly(
    t: TaskRt,
    w: WorkerRt,
    trigger: "pre_execution_failed" | "context_overflow",
    error: AttemptError,
  ): void {
    if (statusOf(t) === "queued") {
      emit([
        taskEvent(t.id, "queued", "failed", trigger, {
          workstream_id: t.ws.id,
          metadata: { error_type: error.type, error_message: error.message, record: { last_error: error } },
        }),
      ]);
      onTaskFailed(t);
    }
    releaseWorker(t, w);
  }

  function launch(t: TaskRt, w: WorkerRt): void {
    const rec = recordOf(t);
    const attempt = (rec?.attempt ?? 0) + 1;
    const worktree = t.ws.worktree ?? options.repoRoot;
    const controller = new AbortController();
    t.controller = controller;
    t.abortReason = null;
    t.pid = null;
    let cwd: string;
    try {
      cwd = cwdOf(t, worktree);
    } catch (error) {
      finishEarly(t, w, "pre_execution_failed", { type: "config_error", message: (error as Error).message });
      return;
    }
    const runner = runnerFor(t.def)!;
    const timeoutMs = t.def.execution.timeout_seconds * 1000;
    const fix = t.fix;
    let spawnedPid: number | null = null;
    let announced = false;
    const ctx: TaskRunContext = {
      worktree,
      cwd,
      attempt,
      signal: controller.signal,
      timeoutMs,
      killGraceMs,
      env: envFor(t, worktree, attempt),
      log: (chunk) => {
        store.appendTaskLog(t.id, chunk);
        options.onOutput?.(t.id, chunk);
      },
      ...(options.onOutput === undefined && store.taskLogFile ? { logFile: store.taskLogFile(t.id) } : {}),
      config,
      onSpawn: (pid) => {
        spawnedPid = pid;
        t.pid = pid;
        tryLaunchAhead(w);
        if (announced)
          emit([
            plainEvent(
              "task_process_spawned",
              "system",
              "info",
              "task",
              t.id,
              { pid, record: { pid } },
              { task_id: t.id, workstream_id: t.ws.id },
            ),
          ]);
      },
      ...(fix ? { fix: { gate: fix.gate, output: fix.outputs.at(-1)!, fixAttempt: fix.fixAttempt } } : {}),
      now: () => new Date(now()),
    };
    store.appendTaskLog(t.id, attemptHeader(t, w, attempt, new Date(now()).toISOString()));
    const latency = performance.now() - Math.max(t.queuedAt, w.idleSince);
    let resultPromise: Promise<AttemptResult>;
    try {
      resultPromise = runner.run(t.def, ctx);
    } catch (error) {
      resultPromise = Promise.reject(error);
    }
    announceStart(t, w, attempt, spawnedPid, fix, latency);
    announced = true;
    track(
      resultPromise.then(
        (result) => afterAttempt(t, w, attempt, result),
        (error: unknown) => afterCrash(t, w, attempt, error),
      ),
    );
  }

  /** The attempt's header line in the task log (`at`: the start time, or `{at}` for the launcher to fill in). */
  function attemptHeader(t: TaskRt, w: WorkerRt, attempt: number, at: string): string {
    const fix = t.fix;
    return `\n===== weft: attempt ${attempt} of ${t.id} (worker ${w.id}) at ${at}${fix ? ` — fix ${fix.fixAttempt} for gate '${fix.gate}'` : ""} =====\n`;
  }

  /** queued → running (and the workstream's first start) for an attempt whose command has been handed over. */
  function announceStart(
    t: TaskRt,
    w: WorkerRt,
    attempt: number,
    pid: number | null,
    fix: TaskRt["fix"],
    latency: number,
  ): void {
    latencies.push(latency);
    emit([
      taskEvent(t.id, "queued", "running", "worker_started", {
        workstream_id: t.ws.id,
        worker_id: w.id,
        metadata: {
          attempt,
          retry_count: recordOf(t)?.retry_count ?? 0,
          latency_ms: Math.round(latency * 1000) / 1000,
          ...(fix ? { fix_attempt: fix.fixAttempt } : {}),
          record: {
            attempt,
            pid,
            base_commit: t.ws.headCommit,
            ...(fix ? { fix_attempt: fix.fixAttempt } : {}),
          },
        },
      }),
    ]);
    t.ws.running += 1;
    if (wsStatusOf(t.ws) === "ready")
      emit([workstreamEvent(t.ws.id, "ready", "executing", "first_task_started", { task_id: t.id })]);
  }

  function releaseWorker(t: TaskRt, w: WorkerRt): void {
    if (TERMINAL_WS.has(wsStatusOf(t.ws)) && t.ws.running === 0) afterTerminal(t.ws);
    const keys = pool.release(t.id);
    if (keys.length > 0) emitResourceViews(keys);
    starving.delete(t);
    t.starving = false;
    t.worker = null;
    t.controller = null;
    if (w.task === t) w.task = null;
    if (w.shutdown) {
      abandonAhead(w);
      return;
    }
    const rec = store.model.workers.get(w.id);
    if (rec?.status === "busy") {
      emit([
        workerEvent(w.id, "busy", "idle", "task_finished", {
          task_id: t.id,
          metadata: { record: { current_task: null, tasks_completed: (rec.tasks_completed ?? 0) + 1 } },
        }),
      ]);
    }
    if (store.model.workers.get(w.id)?.status === "idle") {
      w.idleSince = performance.now();
      const ahead = w.ahead;
      if (ahead !== null) {
        // reserved for the command launched ahead on it: started by now (announce it), or about to be dropped
        ahead.predecessorDone = true;
        maybeBeginAhead(w, ahead);
        return;
      }
      idle.push(w);
    } else {
      abandonAhead(w); // not idle (unresponsive): nothing starts on it now
    }
  }

  /** A runner threw instead of returning a result: the worker crashed (Worker-Crashed); the task is worker_lost. */
  function afterCrash(t: TaskRt, w: WorkerRt, attempt: number, error: unknown): void {
    t.ws.running -= 1;
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ taskId: t.id, workerId: w.id, err: message }, "worker crashed");
    pool.release(t.id);
    w.shutdown = true;
    w.task = null;
    abandonAhead(w);
    const wrec = store.model.workers.get(w.id);
    if (wrec && (wrec.status === "busy" || wrec.status === "idle")) {
      emit([
        workerEvent(w.id, wrec.status, "shutdown", "crashed", {
          task_id: t.id,
          metadata: { error_message: message.slice(0, 500) },
        }),
      ]);
    }
    t.worker = null;
    t.controller = null;
    if (statusOf(t) === "running") {
      failOrRetry(
        t,
        attempt,
        "worker_lost",
        { type: "worker_lost", message: `worker ${w.id} crashed: ${message.slice(0, 300)}` },
        {},
      );
    }
    if (!stopping) addWorker();
    dispatch();
  }

  async function afterAttempt(t: TaskRt, w: WorkerRt, attempt: number, result: AttemptResult): Promise<void> {
    t.ws.running -= 1;
    const status = statusOf(t);
    const reason = t.abortReason;
    const meta = {
      attempt,
      duration_seconds: result.metadata.duration_seconds,
      exit_code: result.metadata.exit_code ?? null,
    };
    const usage = {
      duration_seconds: result.metadata.duration_seconds,
      tokens_used: (recordOf(t)?.tokens_used ?? 0) + (result.metadata.tokens_used ?? 0),
      cost_usd: (recordOf(t)?.cost_usd ?? 0) + (result.metadata.cost_usd ?? 0),
      pid: null,
    };
    if (status !== "running") {
      // cancelled by a person while it ran, or the workstream was settled meanwhile
      releaseWorker(t, w);
      dispatch();
      return;
    }
    if (reason === "shutdown") {
      emit([
        taskEvent(t.id, "running", "queued", "orchestrator_restarted", {
          workstream_id: t.ws.id,
          metadata: { ...meta, reason: "interrupted", record: usage },
        }),
      ]);
      releaseWorker(t, w);
      return;
    }
    if (reason === "ws_timeout") {
      const error: AttemptError = {
        type: "timeout",
        message: `workstream '${t.ws.id}' exceeded max_duration_seconds`,
      };
      emit([
        taskEvent(t.id, "running", "failed", "task_timeout", {
          workstream_id: t.ws.id,
          metadata: {
            ...meta,
            error_type: "timeout",
            error_message: error.message,
            record: { ...usage, last_error: error },
          },
        }),
      ]);
      releaseWorker(t, w);
      return;
    }
    if (reason === "worker_lost") {
      releaseWorker(t, w);
      failOrRetry(
        t,
        attempt,
        "worker_lost",
        { type: "worker_lost", message: `worker ${w.id} stopped heartbeating` },
        {},
        usage,
      );
      dispatch();
      return;
    }
    if (result.status === "success") {
      emit([
        taskEvent(t.id, "running", "validating", "execution_completed", {
          workstream_id: t.ws.id,
          metadata: {
            ...meta,
            files_modified: result.files_modified.length,
            ...attemptDetails(t, result),
            record: usage,
          },
        }),
      ]);
      await validate(t, w, attempt);
      return;
    }
    const error: AttemptError = result.error ?? { type: "execution_failed", message: "the attempt failed" };
    releaseWorker(t, w);
    const trigger =
      error.type === "timeout"
        ? "task_timeout"
        : error.type === "worker_lost"
          ? "worker_lost"
          : "execution_failed";
    failOrRetry(t, attempt, trigger, error, attemptDetails(t, result), { ...usage, ...meta });
    dispatch();
  }

  /**
   * What the event that ends an attempt records besides its outcome: the attempt's own tokens and cost, and for
   * `aider` tasks (or any runner that names its `adapter`) the AIDER-INT-003 result itself — files, diff summary,
   * commit message, model, context — with long strings trimmed so one event stays small. `weft explain` reads it.
   */
  function attemptDetails(t: TaskRt, result: AttemptResult): Record<string, unknown> {
    const m = result.metadata;
    const usage = {
      attempt_tokens: m.tokens_used ?? 0,
      ...(m.cost_usd !== undefined ? { attempt_cost_usd: m.cost_usd } : {}),
    };
    if (t.def.type !== "aider" && m.adapter === undefined) return usage;
    const trimmed: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(m)) trimmed[k] = typeof v === "string" ? v.slice(0, 2000) : v;
    return {
      ...usage,
      result: {
        status: result.status,
        files_modified: result.files_modified.slice(0, 200),
        diff_summary: result.diff_summary.slice(0, 4000),
        commit_message: result.commit_message.slice(0, 1000),
        error: result.error,
        metadata: trimmed,
      },
    };
  }

  /** running → retrying (backoff) or running → failed (retries exhausted / not retryable). */
  function failOrRetry(
    t: TaskRt,
    attempt: number,
    trigger: "execution_failed" | "task_timeout" | "worker_lost",
    error: AttemptError,
    extra: Record<string, unknown>,
    record: Record<string, unknown> = {},
  ): void {
    const rec = recordOf(t)!;
    const retries = rec.retry_count ?? 0;
    const max = t.def.execution.max_retries;
    const retryable = !NO_RETRY_ERRORS.has(error.type);
    const metaBase = {
      ...extra,
      attempt,
      error_type: error.type,
      error_message: error.message.slice(0, 2000),
      retry_count: retries,
      max_retries: max,
    };
    if (retryable && retries < max) {
      const n = retries + 1;
      const delay = computeBackoffSeconds(t.id, n, {
        baseDelaySeconds: t.def.execution.retry_delay_seconds,
        maxDelaySeconds: t.def.execution.max_retry_delay_seconds ?? config.defaults.max_retry_delay_seconds,
      });
      const retryAt = now() + delay * 1000;
      emit([
        taskEvent(t.id, "running", "retrying", trigger, {
          workstream_id: t.ws.id,
          metadata: {
            ...metaBase,
            retry_count: n,
            delay_seconds: Math.round(delay * 1000) / 1000,
            record: {
              ...record,
              retry_count: n,
              last_error: error,
              retry_at: new Date(retryAt).toISOString(),
            },
          },
        }),
      ]);
      scheduleRetry(t, delay * 1000);
      return;
    }
    const event =
      error.type === "context_overflow" || error.type === "context_window_exceeded"
        ? "context_overflow"
        : undefined;
    emit([
      taskEvent(t.id, "running", "failed", trigger, {
        workstream_id: t.ws.id,
        ...(event ? { event } : {}),
        metadata: { ...metaBase, record: { ...record, last_error: error } },
      }),
    ]);
    onTaskFailed(t);
  }

  function scheduleRetry(t: TaskRt, delayMs: number): void {
    if (stopping) return; // the next run continues the backoff from retry_at
    const timer = setTimeout(
      () => {
        retryTimers.delete(t.id);
        if (statusOf(t) !== "retrying") {
          checkDone();
          return;
        }
        emit([
          taskEvent(t.id, "retrying", "queued", "retry_delay_elapsed", {
            workstream_id: t.ws.id,
            metadata: { retry_count: recordOf(t)?.retry_count ?? 0 },
          }),
        ]);
        enqueue(t);
        dispatch();
        checkDone();
      },
      Math.max(0, delayMs),
    );
    retryTimers.set(t.id, timer);
  }

  function onTaskFailed(t: TaskRt): void {
    blockDependents(t, "failed");
    settleWorkstream(t.ws);
    if (options.failFast && !stopping) {
      logger.warn({ taskId: t.id }, "fail-fast: stopping the run");
      stop("fail_fast", 0);
    }
  }

  // ---------- gates ----------
  async function runGate(
    rule: string,
    t: TaskRt | null,
    worktree: string,
    ws?: WsRt,
  ): Promise<{ ok: boolean; output: string }> {
    const g = resolveGateRule(rule, config);
    if (g.kind === "unknown") return { ok: false, output: `unknown rule '${rule}'` };
    if (g.kind === "builtin") {
      const owner = t?.ws ?? ws;
      if (options.workspace && owner?.isolation === "worktree") {
        const clean = await options.workspace.isClean(worktree);
        return { ok: clean, output: clean ? "" : "the worktree has uncommitted changes" };
      }
      const r = await execShell({
        command: "git status --porcelain",
        cwd: worktree,
        timeoutMs: 60_000,
      });
      const ok = r.exitCode === 0 && r.output.trim() === "";
      return { ok, output: ok ? "" : r.output || "git status failed" };
    }
    const cwd = t ? cwdOf(t, worktree) : worktree;
    const env = t
      ? envFor(t, worktree, recordOf(t)?.attempt ?? 1)
      : { WEFT_WORKSTREAM_ID: ws?.id ?? "", WEFT_WORKTREE: worktree };
    const log = t ? (chunk: string) => store.appendTaskLog(t.id, chunk) : undefined;
    if (t) store.appendTaskLog(t.id, `\n----- weft: gate '${rule}': ${g.command}\n`);
    const r = await execShell({
      command: g.command,
      cwd,
      env,
      timeoutMs: (t?.def.execution.timeout_seconds ?? config.defaults.timeout_seconds) * 1000,
      killGraceMs,
      ...(log ? { log } : {}),
      ...(t && store.taskLogFile ? { logFile: store.taskLogFile(t.id) } : {}),
    });
    return { ok: r.exitCode === 0 && !r.timedOut, output: r.output };
  }

  /** validating: post-execution rules, then commit leftovers (worktree mode), then completed / PIPELINE fix / failed. */
  async function validate(t: TaskRt, w: WorkerRt, attempt: number): Promise<void> {
    const worktree = t.ws.worktree ?? options.repoRoot;
    for (const rule of t.def.validation_rules.post_execution) {
      const r = await runGate(rule, t, worktree);
      if (statusOf(t) !== "validating") {
        releaseWorker(t, w);
        return;
      }
      if (!r.ok) {
        const prev = t.fix;
        const fixAttempt = (prev?.fixAttempt ?? 0) + 1;
        const outputs = prev !== null && prev.gate === rule ? [...prev.outputs, r.output] : [r.output];
        const runner = runnerFor(t.def);
        const repeated =
          outputs.length > 1 &&
          (runner?.shouldStopFixing ? runner.shouldStopFixing(outputs) : outputs.at(-1) === outputs.at(-2));
        const error: AttemptError = {
          type: "validation_failed",
          // first line readable on its own (`weft explain`, the live view); the gate's output tail below it
          message: `post-execution rule '${rule}' failed${r.output.trim() ? `:\n${r.output.slice(-1000)}` : ""}`,
        };
        releaseWorker(t, w);
        if (t.def.type === "aider" && fixAttempt <= config.fix_attempts && !repeated && !stopping) {
          // PIPELINE (SPEC intro): an AI fix attempt with the gate's output, bounded by fix_attempts.
          t.fix = { gate: rule, outputs: outputs.slice(-3), fixAttempt };
          emit([
            taskEvent(t.id, "validating", "retrying", "validation_failed", {
              workstream_id: t.ws.id,
              metadata: {
                attempt,
                gate: rule,
                fix_attempt: fixAttempt,
                error_type: "validation_failed",
                error_message: error.message,
                record: { last_error: error, fix_attempt: fixAttempt },
              },
            }),
            taskEvent(t.id, "retrying", "queued", "retry_delay_elapsed", {
              workstream_id: t.ws.id,
              metadata: { fix_attempt: fixAttempt },
            }),
          ]);
          enqueue(t);
          dispatch();
          return;
        }
        emit([
          taskEvent(t.id, "validating", "failed", "validation_failed", {
            workstream_id: t.ws.id,
            metadata: {
              attempt,
              gate: rule,
              error_type: "validation_failed",
              error_message: error.message,
              repeated_output: repeated,
              record: { last_error: error },
            },
          }),
        ]);
        onTaskFailed(t);
        dispatch();
        return;
      }
    }
    let commit: string | null = null;
    if (t.ws.isolation === "worktree" && options.workspace && t.ws.worktree) {
      try {
        const c = await options.workspace.commitTaskChanges({
          worktree: t.ws.worktree,
          workstreamId: t.ws.id,
          taskId: t.id,
          taskName: t.def.name,
        });
        if (c.commit) {
          commit = c.commit;
          t.ws.headCommit = c.commit;
        } else if (!c.committed && t.ws.headCommit === null) {
          t.ws.headCommit = await options.workspace.headCommit(t.ws.worktree);
        }
      } catch (error) {
        const e: AttemptError = {
          type: "process_error",
          message: `committing the task's changes failed: ${(error as Error).message}`,
        };
        releaseWorker(t, w);
        if (statusOf(t) === "validating") {
          emit([
            taskEvent(t.id, "validating", "failed", "validation_failed", {
              workstream_id: t.ws.id,
              metadata: { attempt, error_type: e.type, error_message: e.message, record: { last_error: e } },
            }),
          ]);
          onTaskFailed(t);
        }
        dispatch();
        return;
      }
    }
    if (statusOf(t) !== "validating") {
      releaseWorker(t, w);
      return;
    }
    completeTask(t, w, attempt, commit);
  }

  function completeTask(t: TaskRt, w: WorkerRt, attempt: number, commit: string | null): void {
    t.fix = null;
    emit([
      taskEvent(t.id, "validating", "completed", "validation_passed", {
        workstream_id: t.ws.id,
        metadata: {
          attempt,
          ...(commit ? { commit } : {}),
          record: { last_error: null, ...(commit ? { commit } : {}) },
        },
      }),
    ]);
    if (commit)
      emit([
        plainEvent(
          "workstream_head_moved",
          "system",
          "info",
          "workstream",
          t.ws.id,
          { record: { head_commit: commit } },
          { workstream_id: t.ws.id, task_id: t.id },
        ),
      ]);
    releaseWorker(t, w);
    for (const d of t.dependents) {
      d.pendingDeps -= 1;
      promote(d);
    }
    settleWorkstream(t.ws);
    dispatch();
  }

  // ---------- workstreams ----------
  function settleWorkstream(ws: WsRt): void {
    const cur = wsStatusOf(ws);
    if (cur === "planned" || TERMINAL_WS.has(cur)) {
      if (TERMINAL_WS.has(cur) && ws.running === 0 && ws.phase !== "done" && ws.phase !== "finalizing")
        afterTerminal(ws);
      return;
    }
    const derived = deriveWorkstreamStatus({
      total: ws.tasks.length,
      byStatus: ws.counts,
      criticalTotal: ws.criticalTotal,
      criticalCompleted: ws.criticalCompleted,
      criticalFailed: ws.criticalFailed,
      everStarted: ws.everStarted,
      cancelledByPerson: false,
    });
    if (derived === cur || derived === "ready" || derived === "planned") return;
    const drafts: EventDraft[] = [];
    let from = cur;
    if (from === "ready") {
      drafts.push(workstreamEvent(ws.id, "ready", "executing", "first_task_started"));
      from = "executing";
    }
    if (derived === "executing") {
      if (from === "validating")
        drafts.push(workstreamEvent(ws.id, "validating", "executing", "task_reopened"));
      emit(drafts);
      return;
    }
    if (derived === "failed" && from === "executing") {
      const failedTask = ws.tasks.find(
        (x) =>
          x.def.critical &&
          (statusOf(x) === "failed" || statusOf(x) === "blocked" || statusOf(x) === "cancelled"),
      );
      drafts.push(
        workstreamEvent(ws.id, "executing", "failed", "critical_task_failed", {
          metadata: {
            task_id: failedTask?.id ?? null,
            record: {
              last_error: `critical task '${failedTask?.id ?? "?"}' ended ${failedTask ? statusOf(failedTask) : "failed"}`,
            },
          },
        }),
      );
      emit(drafts);
      afterTerminal(ws);
      return;
    }
    if (derived === "validating" && from === "executing") {
      drafts.push(workstreamEvent(ws.id, "executing", "validating", "all_tasks_settled"));
      emit(drafts);
      if (!stopping) track(finalize(ws));
      return;
    }
    emit(drafts);
  }

  /** validating: final_validation gates, merge, then completed (worktree removed) or failed (preserved). */
  async function finalize(ws: WsRt): Promise<void> {
    if (ws.phase === "finalizing") return;
    ws.phase = "finalizing";
    const worktree = ws.worktree ?? options.repoRoot;
    for (const rule of ws.def.final_validation) {
      const r = await runGate(rule, null, worktree, ws);
      if (!r.ok) {
        emit([
          workstreamEvent(ws.id, "validating", "failed", "validation_failed", {
            metadata: {
              gate: rule,
              error_message: r.output.slice(-2000),
              record: { last_error: `final validation '${rule}' failed` },
            },
          }),
        ]);
        ws.phase = "active";
        afterTerminal(ws);
        return;
      }
    }
    if (ws.isolation === "worktree" && options.workspace && ws.worktree && ws.def.merge.strategy !== "none") {
      let outcome: Awaited<ReturnType<WorkspacePort["merge"]>>;
      try {
        outcome = await options.workspace.merge({
          workstreamId: ws.id,
          worktree: ws.worktree,
          targetBranch: ws.def.merge.target_branch,
          baseBranch: ws.def.base_branch,
          strategy: ws.def.merge.strategy,
        });
      } catch (error) {
        outcome = { ok: false, conflicts: [], message: (error as Error).message };
      }
      if (!outcome.ok) {
        const conflict = outcome.conflicts.length > 0;
        emit([
          workstreamEvent(ws.id, "validating", "failed", conflict ? "merge_conflict" : "validation_failed", {
            metadata: {
              conflicting_files: [...outcome.conflicts],
              error_message: outcome.message,
              record: {
                last_error: conflict ? `merge conflict in ${outcome.conflicts.join(", ")}` : outcome.message,
                conflicting_files: [...outcome.conflicts],
              },
            },
          }),
        ]);
        ws.phase = "active";
        afterTerminal(ws);
        return;
      }
      emit([
        workstreamEvent(ws.id, "validating", "completed", "validation_passed", {
          metadata: { merge_commit: outcome.commit, record: { merge_commit: outcome.commit } },
        }),
      ]);
    } else {
      emit([workstreamEvent(ws.id, "validating", "completed", "validation_passed")]);
    }
    ws.phase = "active";
    afterTerminal(ws);
  }

  /** After a workstream reached a terminal state: clean up (completed) or preserve + archive (failed/cancelled). */
  function afterTerminal(ws: WsRt): void {
    if (ws.phase === "done" || ws.phase === "finalizing") return;
    const status = wsStatusOf(ws);
    if (ws.timeoutTimer) clearTimeout(ws.timeoutTimer);
    if (ws.running > 0) return; // the last task to finish calls settleWorkstream → afterTerminal again
    ws.phase = "done";
    track(
      (async () => {
        if (options.workspace && ws.isolation === "worktree" && ws.worktree) {
          try {
            if (status === "completed") await options.workspace.remove(ws.id);
            else await options.workspace.preserve(ws.id);
          } catch (error) {
            logger.warn({ workstreamId: ws.id, err: (error as Error).message }, "worktree cleanup failed");
          }
        }
        if (status !== "completed" && options.workspace) {
          try {
            const folder = await options.workspace.archiveWorkstreamState({
              workstreamId: ws.id,
              stateDir,
              state: workstreamSnapshot(ws),
            });
            emit([
              plainEvent(
                "workstream_archived",
                "system",
                "info",
                "workstream",
                ws.id,
                { archive: folder, record: { archive: folder } },
                { workstream_id: ws.id },
              ),
            ]);
          } catch (error) {
            logger.warn({ workstreamId: ws.id, err: (error as Error).message }, "archiving failed");
          }
        }
        if (status === "completed") for (const d of ws.dependents) maybeStartWorkstream(d);
      })(),
    );
  }

  function workstreamSnapshot(ws: WsRt): unknown {
    return {
      workstream: store.model.workstreams.get(ws.id) ?? null,
      tasks: ws.tasks.map((t) => store.model.tasks.get(t.id) ?? null),
      archived_at: new Date(now()).toISOString(),
      seq: store.model.seq,
    };
  }

  function maybeStartWorkstream(ws: WsRt): void {
    if (!ws.selected || ws.cyclic || ws.phase !== "idle" || stopping) return;
    const status = wsStatusOf(ws);
    if (status === "planned" || TERMINAL_WS.has(status)) return;
    if (ws.deps.some((d) => wsStatusOf(d) !== "completed")) return;
    ws.phase = "preparing";
    track(
      (async () => {
        if (ws.isolation === "worktree") {
          if (!options.workspace)
            throw new WeftError(
              "SCHED_GIT_FAILED",
              `workstream '${ws.id}' needs a worktree but no git workspace was provided`,
            );
          try {
            const p = await options.workspace.prepare({
              workstreamId: ws.id,
              baseBranch: ws.def.base_branch,
              bootstrap: ws.def.bootstrap,
            });
            ws.worktree = p.worktree;
            const known = store.model.workstreams.get(ws.id)?.head_commit;
            ws.headCommit = typeof known === "string" ? known : p.baseCommit;
            emit([
              plainEvent(
                "workstream_prepared",
                "system",
                "info",
                "workstream",
                ws.id,
                {
                  record: {
                    worktree: p.worktree,
                    branch: p.branch,
                    base_commit: p.baseCommit,
                    head_commit: ws.headCommit,
                  },
                },
                { workstream_id: ws.id },
              ),
            ]);
          } catch (error) {
            const message = (error as Error).message;
            // No dedicated transition exists: the workstream starts and fails as a whole (error_type setup_failed).
            const d: EventDraft[] = [];
            if (wsStatusOf(ws) === "ready")
              d.push(
                workstreamEvent(ws.id, "ready", "executing", "first_task_started", {
                  metadata: { phase: "setup" },
                }),
              );
            d.push(
              workstreamEvent(ws.id, "executing", "failed", "critical_task_failed", {
                metadata: {
                  error_type: "setup_failed",
                  error_message: message.slice(0, 2000),
                  record: { last_error: `worktree setup failed: ${message.slice(0, 500)}` },
                },
              }),
            );
            emit(d);
            ws.phase = "done";
            return;
          }
        } else {
          ws.worktree = options.repoRoot;
        }
        ws.phase = "active";
        const max = ws.def.max_duration_seconds;
        if (max !== undefined) {
          const startedIso = store.model.workstreams.get(ws.id)?.started_at;
          const elapsed = startedIso ? now() - Date.parse(startedIso) : 0;
          ws.timeoutTimer = setTimeout(() => workstreamTimeout(ws), Math.max(0, max * 1000 - elapsed));
          ws.timeoutTimer.unref?.();
        }
        for (const t of ws.tasks) {
          const s = statusOf(t);
          if (s === "queued") enqueue(t);
          else if (s === "pending") promote(t);
        }
        if (wsStatusOf(ws) === "validating") track(finalize(ws));
        else settleWorkstream(ws);
        dispatch();
      })(),
    );
  }

  /** Workstream-Timeout: max_duration_seconds exceeded → running tasks killed, workstream failed (preserved). */
  function workstreamTimeout(ws: WsRt): void {
    ws.timeoutTimer = null;
    const cur = wsStatusOf(ws);
    if (cur !== "executing" && cur !== "validating" && cur !== "ready") return;
    const drafts: EventDraft[] = [];
    if (cur === "ready") drafts.push(workstreamEvent(ws.id, "ready", "executing", "first_task_started"));
    drafts.push(
      workstreamEvent(ws.id, cur === "ready" ? "executing" : cur, "failed", "workstream_timeout", {
        metadata: {
          max_duration_seconds: ws.def.max_duration_seconds,
          record: { last_error: `exceeded max_duration_seconds (${ws.def.max_duration_seconds})` },
        },
      }),
    );
    emit(drafts);
    for (const t of ws.tasks) {
      if (t.controller && statusOf(t) === "running") {
        t.abortReason = "ws_timeout";
        t.controller.abort();
      }
    }
    afterTerminal(ws);
    checkDone();
  }

  // ---------- heartbeats (Worker-Unresponsive) ----------
  const heartbeatMs = config.workers.heartbeat_seconds * 1000;
  let heartbeatTimer: NodeJS.Timeout | null = null;
  const probe =
    options.heartbeatProbe ??
    ((_id: string, pid: number | null) =>
      pid === null || (isGroupAlive(pid) ? processState(pid) !== "T" : true));
  function checkWorkers(): void {
    for (const w of [...workers]) {
      if (w.shutdown) continue;
      const rec = store.model.workers.get(w.id);
      if (!rec || rec.status === "shutdown") continue;
      const ok = probe(w.id, w.task?.pid ?? null);
      if (ok) {
        w.missed = 0;
        if (rec.status === "unresponsive") {
          w.unresponsiveSince = null;
          emit([
            workerEvent(w.id, "unresponsive", "idle", "heartbeat_recovered", {
              metadata: { record: { last_heartbeat: new Date(now()).toISOString() } },
            }),
          ]);
          if (w.task)
            emit([
              workerEvent(w.id, "idle", "busy", "task_assigned", {
                task_id: w.task.id,
                metadata: { record: { current_task: w.task.id } },
              }),
            ]);
          else {
            w.idleSince = performance.now();
            idle.push(w);
          }
        }
        continue;
      }
      w.missed += 1;
      if (
        (rec.status === "busy" || rec.status === "idle") &&
        w.missed >= config.workers.unresponsive_after_missed
      ) {
        w.unresponsiveSince = now();
        const i = idle.indexOf(w);
        if (i >= 0) idle.splice(i, 1);
        emit([
          workerEvent(w.id, rec.status, "unresponsive", "heartbeat_missed", {
            ...(w.task ? { task_id: w.task.id } : {}),
            metadata: { missed_heartbeats: w.missed },
          }),
        ]);
      } else if (
        rec.status === "unresponsive" &&
        w.unresponsiveSince !== null &&
        now() - w.unresponsiveSince >= config.workers.shutdown_after_seconds * 1000
      ) {
        // SM-DEF-003: after the timeout the worker is shut down and its task re-queued as worker_lost.
        w.shutdown = true;
        emit([
          workerEvent(w.id, "unresponsive", "shutdown", "unresponsive_timeout", {
            ...(w.task ? { task_id: w.task.id } : {}),
          }),
        ]);
        const t = w.task;
        if (t?.controller) {
          t.abortReason = "worker_lost";
          t.controller.abort();
        }
        addWorker();
        dispatch();
      }
    }
  }

  /** Resource-Exhaustion: a task waiting for resources longer than the threshold (SPEC §7 starvation). */
  function checkStarvation(): void {
    const threshold = config.starvation_threshold_seconds * 1000;
    for (const t of deferred) {
      if (t.deferredSince === null || statusOf(t) !== "queued") {
        deferred.delete(t);
        continue;
      }
      if (t.starving) continue;
      if (now() - t.deferredSince >= threshold) {
        t.starving = true;
        starving.add(t);
        emit([
          plainEvent(
            "resource_exhausted",
            "resource_event",
            "critical",
            "task",
            t.id,
            {
              waited_seconds: Math.round((now() - t.deferredSince) / 1000),
              resources: Object.keys(t.def.resource_requirements),
              recovery: "reserved: no other task may take these resources until this one starts",
            },
            { task_id: t.id, workstream_id: t.ws.id },
          ),
        ]);
      }
    }
  }

  // ---------- shutdown ----------
  let graceTimer: NodeJS.Timeout | null = null;
  function stop(reason: "interrupted" | "fail_fast", graceMs: number): void {
    if (stopping) return;
    stopping = true;
    stopReason = reason;
    for (const w of workers) if (w.ahead !== null) discardAhead(w.ahead);
    for (const [, timer] of retryTimers) clearTimeout(timer);
    retryTimers.clear();
    const killAll = (): void => {
      for (const t of taskById.values()) {
        if (t.controller && !t.controller.signal.aborted) {
          t.abortReason = "shutdown";
          t.controller.abort();
        }
      }
    };
    if (graceMs <= 0) killAll();
    else {
      graceTimer = setTimeout(killAll, graceMs);
      options.hardSignal?.addEventListener("abort", killAll, { once: true });
    }
    checkDone();
  }

  function checkDone(): void {
    if (!resolveIdle) return;
    if (pendingWork.size > 0) return;
    for (const ws of wsById.values())
      if (ws.running > 0 || ws.phase === "preparing" || ws.phase === "finalizing") return;
    if (!stopping) {
      if (retryTimers.size > 0) return;
      if (wakeTimer !== null && heap.size > 0) return;
      if (idle.length > 0 && heap.size > 0) {
        dispatch();
        if (pendingWork.size > 0 || [...wsById.values()].some((w) => w.running > 0)) return;
      }
      if (heap.size > 0 && idle.length === 0 && workers.some((w) => !w.shutdown)) return;
    }
    const r = resolveIdle;
    resolveIdle = null;
    r();
  }

  // ---------- cancel (in-process) ----------
  function cancel(id: string, actor = "user:unknown"): void {
    const t = taskById.get(id);
    if (t) {
      const s = statusOf(t);
      if (TERMINAL_TASK.has(s)) return;
      emit([
        taskEvent(t.id, s, "cancelled", "user_cancelled", { workstream_id: t.ws.id, manual: true, actor }),
      ]);
      discardAheadOf(t);
      if (t.controller) {
        t.abortReason = "cancel";
        t.controller.abort();
      }
      const rt = retryTimers.get(t.id);
      if (rt) {
        clearTimeout(rt);
        retryTimers.delete(t.id);
      }
      blockDependents(t, "cancelled");
      settleWorkstream(t.ws);
      checkDone();
      return;
    }
    const ws = wsById.get(id);
    if (!ws) throw new WeftError("SCHED_TASK_NOT_FOUND", `no task or workstream '${id}'`);
    const s = wsStatusOf(ws);
    if (TERMINAL_WS.has(s)) return;
    emit([workstreamEvent(ws.id, s, "cancelled", "user_cancelled", { manual: true, actor })]);
    for (const x of ws.tasks) {
      const xs = statusOf(x);
      if (TERMINAL_TASK.has(xs)) continue;
      emit([
        taskEvent(x.id, xs, "cancelled", "user_cancelled", { workstream_id: ws.id, manual: true, actor }),
      ]);
      discardAheadOf(x);
      if (x.controller) {
        x.abortReason = "cancel";
        x.controller.abort();
      }
    }
    afterTerminal(ws);
    checkDone();
  }

  // ---------- the run ----------
  async function run(): Promise<RunSummary> {
    const startedAt = now();
    const problems = plan();
    const fatal = problems.filter((p) => p.code !== "DAG_CYCLE");
    if (fatal.length > 0) {
      const first = fatal[0]!;
      throw new WeftError(
        first.code === "SCHED_NO_RUNNER" ? "SCHED_NO_CAPABLE_WORKER" : first.code,
        fatal.map((p) => p.message).join("\n"),
        {
          hint:
            first.code === "SCHED_UNKNOWN_RULE"
              ? 'add the rule to "gates" in weft.config.json, or fix its name'
              : "fix the task definitions or the registries, then run again",
          details: { problems: fatal },
        },
      );
    }
    // A run with command tasks starts the launcher now: its own start-up (~50 ms for the Node one) overlaps with
    // registration and recovery instead of delaying the first task.
    if (repo.tasks.some((t) => runnerFor(t) === commandRunner)) startLauncher();
    const prevRun = store.model.run;
    const drafts: EventDraft[] = [];
    if (prevRun && prevRun.status === "running") {
      drafts.push(
        plainEvent("orchestrator_recovered", "system", "warning", "system", "orchestrator", {
          previous_run: prevRun.run_id,
          previous_pid: prevRun.pid,
        }),
      );
    }
    drafts.push(
      plainEvent("run_started", "system", "info", "run", runId, {
        workers: workerCount,
        isolation: options.isolation ?? null,
        record: {
          run_id: runId,
          started_at: new Date(startedAt).toISOString(),
          status: "running",
          pid: process.pid,
          host,
          finished_at: null,
        },
      }),
    );
    // Workers of an earlier run that did not shut down died with it (Worker-Crashed).
    for (const w of store.model.workers.values()) {
      if (w.status !== "shutdown")
        drafts.push(
          workerEvent(w.worker_id, w.status, "shutdown", "crashed", {
            metadata: { reason: "the orchestrator that owned it stopped", record: { current_task: null } },
          }),
        );
    }
    emit(drafts);
    // Register workstreams and tasks that the state does not know yet.
    const reg: EventDraft[] = [];
    for (const ws of wsById.values()) {
      if (!store.model.workstreams.has(ws.id)) {
        reg.push(
          plainEvent(
            "workstream_registered",
            "system",
            "info",
            "workstream",
            ws.id,
            {
              record: {
                name: ws.def.name ?? ws.id,
                depends_on: ws.def.depends_on,
                isolation: ws.isolation,
                branch: ws.isolation === "worktree" ? `weft/${ws.id}` : null,
              },
            },
            { workstream_id: ws.id },
          ),
        );
      }
      for (const t of ws.tasks) {
        if (store.model.tasks.has(t.id)) continue;
        reg.push(
          plainEvent(
            "task_registered",
            "system",
            "info",
            "task",
            t.id,
            {
              record: {
                workstream_id: ws.id,
                name: t.def.name,
                type: t.def.type,
                critical: t.def.critical,
                priority: t.priority,
                dependencies: t.deps.map((d) => d.id),
                max_retries: t.def.execution.max_retries,
              },
            },
            { task_id: t.id, workstream_id: ws.id },
          ),
        );
      }
    }
    emit(reg);
    // Initialise counters from the model (a resumed run starts from the recorded state).
    for (const ws of wsById.values()) {
      for (const k of Object.keys(ws.counts)) delete ws.counts[k as TaskStatus];
      ws.criticalTotal = ws.criticalCompleted = ws.criticalFailed = 0;
      for (const t of ws.tasks) {
        const s = statusOf(t);
        ws.counts[s] = (ws.counts[s] ?? 0) + 1;
        const rec = recordOf(t);
        if (rec?.started_at) ws.everStarted = true;
        if (t.def.critical) {
          ws.criticalTotal += 1;
          if (s === "completed") ws.criticalCompleted += 1;
          if (s === "failed") ws.criticalFailed += 1;
        }
        t.pendingDeps = t.deps.filter((d) => statusOf(d) !== "completed").length;
      }
      const wr = store.model.workstreams.get(ws.id) as WorkstreamRecord | undefined;
      if (wr?.worktree) ws.worktree = wr.worktree;
      const head = wr?.head_commit;
      if (typeof head === "string") ws.headCommit = head;
    }
    // Dependency-Cycle: reported as a critical event; that workstream does not run, the others do.
    for (const ws of wsById.values()) {
      if (!ws.cyclic || !ws.selected) continue;
      const cycles = ws.cycles;
      emit([
        plainEvent(
          "dependency_cycle_detected",
          "system",
          "critical",
          "workstream",
          ws.id,
          {
            cycles,
            record: { last_error: `dependency cycle: ${cycles.map((c) => c.join(" → ")).join("; ")}` },
          },
          { workstream_id: ws.id },
        ),
      ]);
    }
    // planned → ready (tasks created, DAG valid)
    const ready: EventDraft[] = [];
    for (const ws of wsById.values()) {
      if (ws.selected && !ws.cyclic && ws.tasks.length > 0 && wsStatusOf(ws) === "planned")
        ready.push(
          workstreamEvent(ws.id, "planned", "ready", "tasks_created", {
            metadata: { tasks: ws.tasks.length },
          }),
        );
    }
    emit(ready);
    // Crash recovery (DESIGN §3): interrupted attempts are killed, their worktree reset, and re-queued (not a retry).
    const recovered: TaskRt[] = [];
    for (const t of taskById.values()) {
      const s = statusOf(t);
      if (s !== "running" && s !== "validating") continue;
      const rec = recordOf(t)!;
      const pid = typeof rec.pid === "number" ? (rec.pid as number) : null;
      if (pid !== null && isGroupAlive(pid)) {
        signalGroup(pid, "SIGKILL");
      }
      recovered.push(t);
    }
    const resetDone = new Set<WsRt>();
    for (const t of recovered) {
      const ws = t.ws;
      if (ws.isolation === "worktree" && options.workspace && ws.worktree && !resetDone.has(ws)) {
        resetDone.add(ws);
        const target = ws.headCommit ?? (recordOf(t)?.base_commit as string | undefined);
        if (target) {
          try {
            await options.workspace.resetToCommit(ws.worktree, target);
          } catch (error) {
            logger.warn({ workstreamId: ws.id, err: (error as Error).message }, "worktree reset failed");
          }
        }
      }
      const s = statusOf(t);
      emit([
        taskEvent(t.id, s, "queued", "orchestrator_restarted", {
          workstream_id: ws.id,
          metadata: { reset_to: ws.headCommit, record: { pid: null } },
        }),
      ]);
    }
    // retrying tasks continue their backoff
    for (const t of taskById.values()) {
      if (statusOf(t) !== "retrying") continue;
      const at = recordOf(t)?.retry_at;
      scheduleRetry(t, typeof at === "string" ? Date.parse(at) - now() : 0);
    }
    // A workstream interrupted while validating finalizes again.
    for (let i = 0; i < workerCount; i++) addWorker();

    const onSoft = (): void => stop("interrupted", options.graceMs ?? 30_000);
    const onHard = (): void => {
      if (!stopping) stop("interrupted", 0);
      for (const t of taskById.values())
        if (t.controller && !t.controller.signal.aborted) {
          t.abortReason = "shutdown";
          t.controller.abort();
        }
    };
    if (options.signal?.aborted) onSoft();
    options.signal?.addEventListener("abort", onSoft, { once: true });
    options.hardSignal?.addEventListener("abort", onHard, { once: true });
    let lastBeat = now();
    heartbeatTimer = setInterval(
      () => {
        if (now() - lastBeat >= heartbeatMs) {
          lastBeat = now();
          checkWorkers();
        }
        checkStarvation();
        dispatch();
        checkDone();
      },
      Math.max(20, Math.min(heartbeatMs, (config.starvation_threshold_seconds * 1000) / 2, 1000)),
    );
    heartbeatTimer.unref?.();

    const finished = new Promise<void>((r) => {
      resolveIdle = r;
    });
    // A workstream interrupted while validating is prepared again and finalizes (maybeStartWorkstream).
    for (const ws of wsById.values()) {
      maybeStartWorkstream(ws);
    }
    checkDone();
    await finished;
    const launcherKind = launcher ? launcher.kind : null;
    launcher?.close();
    launcher = undefined;
    if (heartbeatTimer) clearInterval(heartbeatTimer);
    if (wakeTimer) clearTimeout(wakeTimer);
    if (graceTimer) clearTimeout(graceTimer);
    for (const [, timer] of retryTimers) clearTimeout(timer);
    for (const ws of wsById.values()) if (ws.timeoutTimer) clearTimeout(ws.timeoutTimer);
    options.signal?.removeEventListener("abort", onSoft);
    options.hardSignal?.removeEventListener("abort", onHard);

    const wsStatuses: Record<string, WorkstreamStatus> = {};
    let allCompleted = true;
    for (const ws of wsById.values()) {
      if (!ws.selected) continue;
      const s = wsStatusOf(ws);
      wsStatuses[ws.id] = s;
      if (s !== "completed") allCompleted = false;
    }
    const status: RunSummary["status"] =
      stopReason === "interrupted"
        ? "interrupted"
        : allCompleted && stopReason === null
          ? "completed"
          : "failed";
    const sorted = Float64Array.from(latencies).sort();
    const latency = {
      count: sorted.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.length ? sorted[sorted.length - 1]! : 0,
    };
    const end: EventDraft[] = [];
    for (const w of workers) {
      const rec = store.model.workers.get(w.id);
      if (rec && rec.status !== "shutdown" && rec.status !== "unresponsive")
        end.push(
          workerEvent(w.id, rec.status, "shutdown", "shutdown_requested", {
            metadata: { record: { current_task: null } },
          }),
        );
    }
    const counts: Partial<Record<TaskStatus, number>> = {};
    for (const t of taskById.values()) {
      if (!t.ws.selected) continue;
      const s = statusOf(t);
      counts[s] = (counts[s] ?? 0) + 1;
    }
    end.push(
      plainEvent("run_finished", "system", status === "completed" ? "info" : "warning", "run", runId, {
        status,
        workstreams: wsStatuses,
        tasks: counts,
        latency_ms: latency,
        // which spawn launcher ran the commands: "native", "node", or null (none: spawned directly / no commands)
        launcher: launcherKind,
        duration_seconds: (now() - startedAt) / 1000,
        record: { status, finished_at: new Date(now()).toISOString() },
      }),
    );
    emit(end);
    await store.flush();
    return {
      runId,
      status,
      workstreams: wsStatuses,
      tasks: counts,
      latency,
      launcher: launcherKind,
      durationMs: now() - startedAt,
    };
  }

  return { plan, run, cancel };
}

/** Default context estimate: bytes / 4 of the required files (missing files count 0). */
function defaultContextTokens(task: TaskDefinition, worktree: string): number {
  let bytes = 0;
  for (const f of task.context_requirements.required_files) {
    try {
      bytes += statSync(resolve(worktree, f)).size;
    } catch {}
  }
  return Math.ceil(bytes / 4);
}
