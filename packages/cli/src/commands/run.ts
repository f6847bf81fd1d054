import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import {
  type AttemptResult,
  type EventLine,
  type Logger,
  type StateStorePort,
  type TaskRunner,
  type WeftConfig,
  WeftError,
} from "@weft/core-schema";
import { loadRepo } from "@weft/loader";
import { createMetricsWriter } from "@weft/observability";
import {
  computeRemainingPaths,
  createEngine,
  createMemoryStateStore,
  createWorkspaceManager,
  createWorkspacePort,
  detectCapabilities,
  type EngineRepo,
  type RunSummary,
} from "@weft/scheduler";
import { openStateStore, statePaths } from "@weft/state-store";
import type { CliIO, CommandSpec } from "../command-spec.js";
import { flagBool, flagList, flagNumber, flagString } from "../parse-args.js";
import { metricsFilesOf } from "./metrics.js";

/**
 * Services `weft run` accepts from the composition root (apps/weft), all optional:
 * - `createAiderRunner(options) → TaskRunner`: the runner of `aider` tasks (default: `@weft/adapter-aider`'s, with
 *   `ctx.io.env`). Tests and the offline demo inject a deterministic one here or point `aider.binary` at a fake.
 * - `openStateStore`: replaces `@weft/state-store`'s (tests).
 */
export interface RunServices {
  readonly createAiderRunner?: (options: {
    env: Readonly<Record<string, string | undefined>>;
    logger: Logger;
    config: WeftConfig;
  }) => TaskRunner;
  readonly openStateStore?: (options: {
    stateDir: string;
    config: WeftConfig;
    logger: Logger;
  }) => Promise<StateStorePort>;
}

const SUCCESS: AttemptResult = {
  status: "success",
  files_modified: [],
  diff_summary: "",
  validation_status: "pending",
  commit_message: "",
  error: null,
  metadata: { tokens_used: 0, duration_seconds: 0 },
};

/** Loads the repo or fails with the first error diagnostic as `file:line:col` (exit 2). */
export async function loadRunnableRepo(cwd: string): Promise<EngineRepo & { warnings: number }> {
  const { repo, issues } = await loadRepo({ cwd });
  const errors = issues.filter((i) => i.severity === "error");
  if (errors.length > 0) {
    const e = errors[0]!;
    throw new WeftError(
      "SCHEMA_INVALID",
      `${e.message}${errors.length > 1 ? ` (and ${errors.length - 1} more; see \`weft validate tasks\`)` : ""}`,
      {
        hint: e.hint,
        details: { file: e.file, line: e.line, column: e.column, code: e.code },
      },
    );
  }
  return { ...repo, warnings: issues.length };
}

function fmtDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** One line per event (non-TTY output, DESIGN §8). */
export function renderEventLine(e: EventLine): string {
  const time = e.timestamp.slice(11, 23);
  const change = e.to_state !== null ? ` ${e.from_state ?? "∅"} → ${e.to_state}` : "";
  const m = e.metadata as Record<string, unknown>;
  const extra = [
    m.attempt !== undefined && e.to_state === "running" ? `attempt ${m.attempt}` : null,
    typeof m.error_message === "string" ? String(m.error_message).split("\n")[0]!.slice(0, 160) : null,
    Array.isArray(m.conflicting_files) && m.conflicting_files.length > 0
      ? `conflicts: ${(m.conflicting_files as string[]).join(", ")}`
      : null,
    m.delay_seconds !== undefined ? `retry in ${m.delay_seconds}s` : null,
  ].filter((x) => x !== null);
  const sev = e.severity === "info" ? "" : ` [${e.severity}]`;
  return `${time} ${e.event}${sev} ${e.entity_type}:${e.entity_id}${change}${extra.length > 0 ? ` — ${extra.join("; ")}` : ""}`;
}

interface LiveTask {
  readonly ws: string;
  status: string;
  startedAt: number | null;
  readonly estimate: number;
  readonly remaining: number;
  readonly critical: boolean;
  error: string | null;
}

/** The live view state for a TTY (per workstream progress, running tasks with elapsed time, failures, ETA). */
class LiveView {
  readonly tasks = new Map<string, LiveTask>();
  readonly ws = new Map<string, string>();
  readonly failures: string[] = [];
  private lastLines = 0;
  constructor(
    private readonly io: CliIO,
    repo: EngineRepo,
    private readonly workers: number,
    private readonly now: () => number,
  ) {
    const est = (id: string) => {
      const t = repo.tasks.find((x) => x.task_id === id)!;
      return t.estimated_duration_seconds ?? repo.config.defaults.estimate_seconds_by_type[t.type] ?? 30;
    };
    const byWs = new Map<string, typeof repo.tasks>();
    for (const t of repo.tasks) byWs.set(t.workstream_id, [...(byWs.get(t.workstream_id) ?? []), t]);
    for (const [ws, tasks] of byWs) {
      let rem: Map<string, number>;
      try {
        rem = computeRemainingPaths(
          tasks.map((t) => ({ task_id: t.task_id, dependencies: t.dependencies })),
          est,
        );
      } catch {
        rem = new Map();
      }
      for (const t of tasks)
        this.tasks.set(t.task_id, {
          ws,
          status: "pending",
          startedAt: null,
          estimate: est(t.task_id),
          remaining: rem.get(t.task_id) ?? 0,
          critical: t.critical,
          error: null,
        });
      this.ws.set(ws, "planned");
    }
  }

  apply(e: EventLine): void {
    if (e.entity_type === "task") {
      const t = this.tasks.get(e.entity_id);
      if (!t) return;
      if (e.to_state !== null) t.status = e.to_state;
      if (e.to_state === "running") t.startedAt = Date.parse(e.timestamp);
      const msg = (e.metadata as { error_message?: unknown }).error_message;
      if (e.to_state === "failed")
        this.failures.push(
          `${e.entity_id}: ${typeof msg === "string" ? msg.split("\n")[0]!.slice(0, 100) : e.event}`,
        );
    } else if (e.entity_type === "workstream" && e.to_state !== null) {
      this.ws.set(e.entity_id, e.to_state);
      if (e.to_state === "failed") {
        const msg = (e.metadata as { error_message?: unknown }).error_message;
        this.failures.push(
          `workstream ${e.entity_id}: ${e.event}${typeof msg === "string" ? ` — ${msg.split("\n")[0]!.slice(0, 100)}` : ""}`,
        );
      }
    }
  }

  /** ETA from the plan: the longer of the remaining critical path and the remaining work spread over the workers. */
  eta(): number {
    let longest = 0;
    let work = 0;
    const now = this.now();
    for (const t of this.tasks.values()) {
      if (["completed", "failed", "cancelled", "blocked"].includes(t.status)) continue;
      const done =
        t.startedAt !== null && t.status === "running" ? Math.min(t.estimate, (now - t.startedAt) / 1000) : 0;
      longest = Math.max(longest, t.remaining - done);
      work += t.estimate - done;
    }
    return Math.max(longest, work / this.workers);
  }

  render(): void {
    const now = this.now();
    const cols = this.io.columns > 0 ? Math.max(60, this.io.columns) : 100;
    const out: string[] = [];
    for (const [ws, status] of this.ws) {
      const tasks = [...this.tasks.values()].filter((t) => t.ws === ws);
      const done = tasks.filter((t) => t.status === "completed").length;
      const width = 20;
      const filled = tasks.length === 0 ? 0 : Math.round((done / tasks.length) * width);
      out.push(
        `${ws.padEnd(16).slice(0, 16)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${tasks.length} ${status}`,
      );
    }
    const running = [...this.tasks].filter(([, t]) => t.status === "running" || t.status === "validating");
    for (const [id, t] of running.slice(0, 12))
      out.push(
        `  ▶ ${id} (${t.ws}) ${t.status} ${fmtDuration(t.startedAt === null ? 0 : (now - t.startedAt) / 1000)}`,
      );
    if (running.length > 12) out.push(`  … ${running.length - 12} more running`);
    for (const f of this.failures.slice(-5)) out.push(`  ✗ ${f}`);
    out.push(`ETA ${fmtDuration(this.eta())}`);
    const text = out.map((l) => l.slice(0, cols - 1));
    const clear = this.lastLines > 0 ? `\x1b[${this.lastLines}F\x1b[J` : "";
    this.io.stderr(`${clear}${text.join("\n")}\n`);
    this.lastLines = text.length;
  }
}

function ensureGitRepo(cwd: string): void {
  try {
    execFileSync("git", ["-C", cwd, "rev-parse", "--verify", "HEAD"], { stdio: "ignore" });
  } catch {
    throw new WeftError(
      "CLI_CONFIG",
      `${cwd} is not a git repository with a commit, so worktree isolation cannot be used`,
      {
        hint: "run `git init && git add -A && git commit -m init`, or run with --isolation none",
      },
    );
  }
}

/** `weft run` — executes the DAG (SPEC §4–§9, DESIGN §2). Streams its output; returns only the exit code. */
export const runCommand: CommandSpec = {
  name: "run",
  summary:
    "execute the tasks: workstreams in parallel, each in its own worktree, merged on success; resumes after a crash",
  usage: [
    "run [--workstream <ws>…] [--workers N] [--isolation worktree|none] [--dry-run] [--fail-fast] [--json]",
  ],
  flags: [
    {
      name: "workstream",
      type: "list",
      value: "<ws>",
      description: "run only these workstreams (repeatable)",
    },
    {
      name: "workers",
      type: "number",
      value: "N",
      description: "local workers (default: weft.config.json workers.count, else CPU cores)",
    },
    {
      name: "isolation",
      type: "string",
      value: "worktree|none",
      description: "override every workstream's isolation",
    },
    {
      name: "dry-run",
      type: "boolean",
      description: "show the order tasks would start in; run nothing, write no state",
    },
    {
      name: "fail-fast",
      type: "boolean",
      description: "stop at the first task that fails after its retries",
    },
  ],
  details: [
    "Output: a live view on a TTY, one line per event otherwise, NDJSON events with --json (last line: the summary).",
    "Ctrl-C: stop scheduling and let running tasks finish (grace period), a second Ctrl-C kills them; the state stays",
    "consistent and the next `weft run` continues. After a crash (kill -9), `weft run` recovers: orphaned processes are",
    "killed, their worktrees reset, their tasks re-queued without using a retry; completed tasks never run again.",
    "Exit codes: 0 every workstream completed, 1 otherwise, 2 usage/configuration error, 130 interrupted.",
  ].join("\n"),
  async run(args, ctx) {
    const io = ctx.io;
    const services = ctx.services as RunServices & typeof ctx.services;
    const isolationFlag = flagString(args, "isolation");
    if (isolationFlag !== undefined && isolationFlag !== "worktree" && isolationFlag !== "none") {
      throw new WeftError("CLI_USAGE", `--isolation must be worktree or none, not '${isolationFlag}'`);
    }
    const isolation = isolationFlag as "worktree" | "none" | undefined;
    const workersFlag = flagNumber(args, "workers");
    if (workersFlag !== undefined && (!Number.isInteger(workersFlag) || workersFlag < 1)) {
      throw new WeftError("CLI_USAGE", `--workers must be a positive integer, not ${workersFlag}`);
    }
    const repo = await loadRunnableRepo(ctx.cwd);
    const selected = flagList(args, "workstream");
    for (const ws of selected) {
      if (
        !repo.workstreams.some((w) => w.workstream_id === ws) &&
        !repo.tasks.some((t) => t.workstream_id === ws)
      ) {
        throw new WeftError("CLI_USAGE", `no workstream '${ws}' under tasks/`, {
          hint: "list them with `weft plan`",
        });
      }
    }
    const workers = workersFlag ?? repo.config.workers.count ?? availableParallelism();
    const logger = ctx.services.logger;
    const dryRun = flagBool(args, "dry-run");
    const aiderBinary = repo.config.aider.binary.includes("/")
      ? resolve(ctx.cwd, repo.config.aider.binary)
      : repo.config.aider.binary;
    const needed = [...new Set(repo.tasks.flatMap((t) => t.worker_requirements.capabilities))];
    const capabilities = await detectCapabilities({
      declared: repo.config.workers.capabilities,
      aiderBinary,
      needed,
    });

    if (dryRun) {
      const store = createMemoryStateStore();
      const instant: TaskRunner = { run: async () => SUCCESS };
      const noGates = {
        ...repo.config,
        gates: Object.fromEntries(Object.keys(repo.config.gates).map((k) => [k, "true"])),
      };
      const engine = createEngine({
        repo: { ...repo, config: noGates },
        repoRoot: ctx.cwd,
        store,
        runners: { aider: instant, lint: instant, pytest: instant, custom: instant },
        workers,
        workerCapabilities: capabilities,
        isolation: "none",
        workstreams: selected,
        logger,
      });
      const problems = engine.plan();
      const summary = problems.some((p) => p.code !== "DAG_CYCLE") ? null : await engine.run();
      const order = store.events
        .filter((e) => e.to_state === "running" && e.entity_type === "task")
        .map((e) => e.entity_id);
      const data = { dry_run: true, workers, problems, order, workstreams: summary?.workstreams ?? {} };
      if (ctx.json) io.stdout(`${JSON.stringify(data)}\n`);
      else {
        const lines = [
          `dry run: ${order.length} task(s) would start, in this order, on ${workers} worker(s):`,
        ];
        for (const [i, id] of order.entries()) lines.push(`  ${String(i + 1).padStart(4)}. ${id}`);
        for (const p of problems) lines.push(`problem: ${p.message} [${p.code}]`);
        io.stdout(`${lines.join("\n")}\n`);
      }
      return { exitCode: problems.length > 0 ? 1 : 0 };
    }

    const effective = (ws: string) =>
      isolation ?? repo.workstreams.find((w) => w.workstream_id === ws)?.isolation ?? repo.config.isolation;
    const wsIds = new Set([
      ...repo.workstreams.map((w) => w.workstream_id),
      ...repo.tasks.map((t) => t.workstream_id),
    ]);
    const needsGit = [...wsIds].some(
      (ws) => (selected.length === 0 || selected.includes(ws)) && effective(ws) === "worktree",
    );
    if (needsGit) ensureGitRepo(ctx.cwd);

    const stateDir = join(ctx.cwd, ".state");
    let store: StateStorePort;
    let interrupted = 0;
    if (services.openStateStore)
      store = await services.openStateStore({ stateDir, config: repo.config, logger });
    else {
      const opened = await openStateStore({
        stateDir,
        settings: repo.config.state,
        logger,
        // AUDIT-002: closed days (or a live log over rotate_max_mb) move to .state/archive when a run starts.
        autoRotate: {
          rotateMaxMb: repo.config.retention.rotate_max_mb,
          taskLogDays: repo.config.retention.task_log_days,
        },
      });
      store = opened.store;
      interrupted = opened.recovery.interruptedTasks.length;
    }
    try {
      const workspace = needsGit
        ? createWorkspacePort(
            createWorkspaceManager({ repoRoot: ctx.cwd, worktreesRoot: repo.config.worktrees.root, logger }),
            {
              bootstrapLog: (ws) => (chunk: string) => store.appendTaskLog(`_bootstrap-${ws}`, chunk),
            },
          )
        : undefined;
      // @weft/adapter-aider (and execa with it) is loaded only when there is an aider task to run: a DAG of commands
      // starts ~100 ms sooner without it (DESIGN §6).
      const hasAiderTasks = repo.tasks.some((t) => t.type === "aider");
      const aider = services.createAiderRunner
        ? services.createAiderRunner({ env: io.env, logger, config: repo.config })
        : hasAiderTasks
          ? (await import("@weft/adapter-aider")).createAiderRunner({ env: io.env, logger })
          : undefined;
      // OBS-001: .state/metrics.json every metrics.interval_seconds during the run, and once more at its end.
      const metrics = createMetricsWriter({
        files: metricsFilesOf(statePaths(stateDir)),
        model: () => store.model,
        intervalSeconds: repo.config.metrics.interval_seconds,
        retentionDays: repo.config.retention.metrics_days,
        clock: () => io.now(),
        logger,
      });
      const live = io.isTTY && !ctx.json ? new LiveView(io, repo, workers, () => io.now().getTime()) : null;
      // Event lines are written once per event-loop turn rather than once per event (a task makes 7 of them).
      let out: string[] = [];
      let flushQueued = false;
      const flushOut = (): void => {
        flushQueued = false;
        if (out.length === 0) return;
        const text = `${out.join("\n")}\n`;
        out = [];
        io.stdout(text);
      };
      const flushSoon = (): void => {
        if (flushQueued) return;
        flushQueued = true;
        setImmediate(flushOut);
      };
      if (interrupted > 0 && !ctx.json)
        io.stderr(`weft: recovering ${interrupted} task(s) interrupted by a crash\n`);
      const engine = createEngine({
        repo,
        repoRoot: ctx.cwd,
        stateDir,
        store,
        ...(workspace ? { workspace } : {}),
        runners: aider ? { aider } : {},
        workers,
        workerCapabilities: capabilities,
        ...(isolation ? { isolation } : {}),
        workstreams: selected,
        failFast: flagBool(args, "fail-fast"),
        signal: io.signal,
        hardSignal: io.hardSignal,
        graceMs: Math.max(10_000, repo.config.defaults.kill_grace_seconds * 1000 * 6),
        logger,
        now: () => io.now().getTime(),
        onEvent: (lines) => {
          metrics.observe(lines);
          if (ctx.json) {
            for (const l of lines) out.push(JSON.stringify(l));
            flushSoon();
          } else if (live) {
            for (const l of lines) live.apply(l);
          } else {
            for (const l of lines) out.push(renderEventLine(l));
            flushSoon();
          }
        },
      });
      let timer: NodeJS.Timeout | null = null;
      if (live) {
        timer = setInterval(() => live.render(), 250);
        live.render();
      }
      let summary: RunSummary;
      try {
        summary = await engine.run();
      } finally {
        flushOut();
        if (timer) clearInterval(timer);
        metrics.stop();
        live?.render();
      }
      const exitCode = summary.status === "interrupted" ? 130 : summary.status === "completed" ? 0 : 1;
      if (ctx.json) io.stdout(`${JSON.stringify({ type: "summary", ...summary, exit_code: exitCode })}\n`);
      else {
        const ws = Object.entries(summary.workstreams)
          .map(([id, s]) => `${id}: ${s}`)
          .join(", ");
        const counts = Object.entries(summary.tasks)
          .map(([s, n]) => `${n} ${s}`)
          .join(", ");
        io.stdout(
          `run ${summary.runId} ${summary.status} in ${fmtDuration(summary.durationMs / 1000)} — workstreams ${ws || "none"}; tasks ${counts || "none"}\n`,
        );
        if (summary.status === "interrupted")
          io.stdout("interrupted: run `weft run` again to continue where it stopped\n");
      }
      return { exitCode };
    } finally {
      await store.close();
    }
  },
};
