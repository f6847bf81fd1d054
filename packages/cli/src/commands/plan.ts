import { createReadStream, existsSync, mkdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { delimiter, isAbsolute, join } from "node:path";
import { createInterface } from "node:readline";
import { type CurrentState, WeftError } from "@weft/core-schema";
import {
  collectSuccessfulDurations,
  computePlans,
  type DagIssue,
  type DurationHistory,
  formatSeconds,
  type PlanResult,
  type PlanSummary,
  planFileNames,
  summarizePlan,
  type WorkerOffer,
} from "@weft/dag";
import { type LoadedRepo, loadRepo } from "@weft/loader";
import { loadSnapshot, statePaths } from "@weft/state-store";
import type { CommandContext, CommandSpec } from "../command-spec.js";
import { writeFileAtomic } from "../internal/atomic-write.js";
import { flagList, flagNumber } from "../parse-args.js";

/** Everything planning reads from disk: the repo, live statuses, past durations. */
export interface PlanInputs {
  readonly repo: LoadedRepo;
  readonly statusOf: (workstreamId: string, taskId: string) => string | undefined;
  readonly history: DurationHistory;
  readonly stateDir: string;
}

/**
 * Loads what `weft plan` and `weft graph` need: the repo (loader errors stop with exit 2, like `weft run`), task
 * statuses from `.state/current.json` when present, and past successful durations from `.state/transitions.jsonl`.
 * Reads only; executes nothing from the repo (DESIGN §7).
 */
export async function loadPlanInputs(cwd: string): Promise<PlanInputs> {
  const { repo, issues } = await loadRepo({ cwd });
  const errors = issues.filter((i) => i.severity === "error");
  if (errors.length > 0) {
    const e = errors[0]!;
    throw new WeftError(
      e.code === "LOADER_NOT_A_REPO" ? "LOADER_NOT_A_REPO" : "SCHEMA_INVALID",
      `${e.message}${errors.length > 1 ? ` (and ${errors.length - 1} more; see \`weft validate tasks\`)` : ""}`,
      { hint: e.hint, details: { file: e.file, line: e.line, column: e.column, code: e.code } },
    );
  }
  const stateDir = join(cwd, ".state");
  const paths = statePaths(stateDir);
  const statuses = new Map<string, string>();
  const snap = loadSnapshot(paths, { validate: false });
  if (snap.status === "ok") {
    for (const t of (snap.snapshot as CurrentState).tasks)
      statuses.set(`${t.workstream_id}\u0000${t.task_id}`, t.status);
  }
  return {
    repo,
    statusOf: (ws, id) => statuses.get(`${ws}\u0000${id}`),
    history: existsSync(paths.log) ? collectSuccessfulDurations(await readCompletions(paths.log)) : new Map(),
    stateDir,
  };
}

/** The completion events of the live log (lines that cannot be one are not even parsed). */
async function readCompletions(file: string): Promise<unknown[]> {
  const out: unknown[] = [];
  const lines = createInterface({
    input: createReadStream(file, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    if (!line.includes('"completed"') && !line.includes("task_completed")) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // A torn last line: `weft validate state` reports it; planning just skips it.
    }
  }
  return out;
}

/** What local workers would advertise (SPEC §6), found without running anything: declared + tools on PATH. */
export function localOffers(
  repo: LoadedRepo,
  env: Readonly<Record<string, string | undefined>>,
): WorkerOffer[] {
  const offers: WorkerOffer[] = repo.config.workers.capabilities.map((c) => ({
    name: c.name,
    version: c.version,
  }));
  const declared = new Set(offers.map((o) => o.name));
  const probes: [string, string][] = [
    ["git", "git"],
    ["node", "node"],
    ["python", "python3"],
    ["aider", repo.config.aider.binary],
  ];
  for (const [name, binary] of probes) {
    if (!declared.has(name) && onPath(binary, env.PATH ?? "", repo.root)) offers.push({ name });
  }
  return offers;
}

function onPath(binary: string, path: string, root: string): boolean {
  const candidates = binary.includes("/")
    ? [isAbsolute(binary) ? binary : join(root, binary)]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, binary));
  return candidates.some((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
}

/** Plans every workstream of the loaded repo (pure; see @weft/dag computePlans). */
export function planRepo(
  inputs: PlanInputs,
  options: { workers: number; generatedAt: string; offers: readonly WorkerOffer[]; documents?: boolean },
): PlanResult {
  const { repo } = inputs;
  return computePlans(repo.tasks, {
    workers: options.workers,
    generatedAt: options.generatedAt,
    estimates: { secondsByType: repo.config.defaults.estimate_seconds_by_type, history: inputs.history },
    resources: repo.resources,
    capabilities: repo.capabilities,
    offers: options.offers,
    statusOf: inputs.statusOf,
    workstreams: repo.workstreams,
    documents: options.documents,
  });
}

/** `--workstream` ids, checked against the repo (exit 2 on an unknown one). */
export function selectWorkstreams(ids: readonly string[], result: PlanResult): Set<string> | undefined {
  if (ids.length === 0) return undefined;
  const known = new Set(result.workstreams.map((w) => w.workstreamId));
  for (const id of ids) {
    if (!known.has(id)) {
      throw new WeftError("CLI_USAGE", `no workstream ${id}`, {
        hint: `known workstreams: ${[...known].join(", ") || "(none)"}`,
      });
    }
  }
  return new Set(ids);
}

const MAX_STAGE_LINES = 40;
const MAX_IDS_PER_STAGE = 6;

function renderProblem(p: DagIssue): string {
  const where =
    p.task_id && p.workstream_id
      ? `tasks/${p.workstream_id}/${p.task_id}.json: `
      : p.workstream_id
        ? `${p.workstream_id}: `
        : "";
  const head = `  ${p.severity.padEnd(8)} ${where}${p.message}`;
  return p.hint ? `${head}\n           hint: ${p.hint}` : head;
}

/** Renders {@link PlanSummary} for people. */
export function renderPlan(s: PlanSummary, written: readonly string[]): string {
  const out: string[] = [];
  for (const w of s.workstreams) {
    const head = `${w.workstream_id}: ${w.tasks} task${w.tasks === 1 ? "" : "s"}, ${w.edges} dependenc${w.edges === 1 ? "y" : "ies"}`;
    if (!w.stages) {
      out.push(
        `${head} — not planned: ${w.cycles.length} dependency cycle${w.cycles.length === 1 ? "" : "s"}`,
        "",
      );
      continue;
    }
    out.push(
      `${head}, ${w.stages.length} stage${w.stages.length === 1 ? "" : "s"}`,
      `  estimated ${formatSeconds(w.total_estimated_duration!)} with ${s.workers} worker${s.workers === 1 ? "" : "s"}; critical path ${formatSeconds(w.critical_path_duration!)}`,
    );
    const critical = new Set(w.critical_path_tasks);
    for (const st of w.stages.slice(0, MAX_STAGE_LINES)) {
      const shown = st.tasks.slice(0, MAX_IDS_PER_STAGE).map((id) => (critical.has(id) ? `${id}*` : id));
      const more = st.tasks.length > MAX_IDS_PER_STAGE ? `, … (+${st.tasks.length - MAX_IDS_PER_STAGE})` : "";
      const res = Object.entries(st.resource_requirements)
        .map(([r, n]) => `${r}:${n}`)
        .join(" ");
      out.push(
        `  stage ${String(st.stage).padStart(3)}  ${formatSeconds(st.estimated_duration_seconds).padStart(8)}  ×${st.max_parallelism}  ${shown.join(", ")}${more}${res ? `  [${res}]` : ""}`,
      );
    }
    if (w.stages.length > MAX_STAGE_LINES)
      out.push(`  … ${w.stages.length - MAX_STAGE_LINES} more stages (--json lists all)`);
    const path = w.critical_path_tasks!;
    out.push(
      `  critical path (*): ${path.length > 12 ? [...path.slice(0, 6), `… (${path.length - 10} more) …`, ...path.slice(-4)].join(" → ") : path.join(" → ")}`,
      `  estimates: ${w.estimate_sources.task} from task files, ${w.estimate_sources.history} from past runs, ${w.estimate_sources.default} by type default`,
      "",
    );
  }
  if (s.workstream_order.length > 1) out.push(`workstream order: ${s.workstream_order.join(" → ")}`, "");
  if (written.length > 0) out.push(`wrote ${written.join(", ")}`);
  if (s.problems.length > 0) {
    out.push("", "problems:");
    for (const p of s.problems) out.push(renderProblem(p));
  }
  out.push(
    s.ok
      ? `plan ok${s.warnings > 0 ? ` (${s.warnings} warning${s.warnings === 1 ? "" : "s"})` : ""}`
      : `plan has ${s.errors} error${s.errors === 1 ? "" : "s"}${s.warnings > 0 ? ` and ${s.warnings} warning${s.warnings === 1 ? "" : "s"}` : ""}`,
  );
  return `${out.join("\n")}\n`;
}

/** Worker count: `--workers`, else weft.config.json `workers.count`, else the number of CPU cores. */
export function resolveWorkers(flag: number | undefined, repo: LoadedRepo): number {
  if (flag !== undefined && (!Number.isInteger(flag) || flag < 1)) {
    throw new WeftError("CLI_USAGE", `--workers must be a positive integer, not ${flag}`, {
      hint: "e.g. --workers 4",
    });
  }
  return flag ?? repo.config.workers.count ?? availableParallelism();
}

/**
 * `weft plan` (SPEC §8, DAG-VIEW-001/002): writes `.state/dag_{ws}.json` and `.state/execution_plan_{ws}.json` for
 * every (selected) workstream without a cycle, prints stages, critical path, estimates and problems; exit 1 when
 * the plan has errors (cycles, unknown or cross-workstream dependencies, capabilities no worker offers, resource
 * requests that can never be met).
 */
export const planCommand: CommandSpec = {
  name: "plan",
  summary:
    "write each workstream's DAG and execution plan; print stages, critical path, estimates and problems",
  usage: ["plan [--workstream <ws>]… [--workers N] [--json]"],
  flags: [
    {
      name: "workstream",
      type: "list",
      value: "<ws>",
      description: "plan only this workstream (repeatable)",
    },
    {
      name: "workers",
      type: "number",
      value: "<n>",
      description: "workers for the estimate (default: config, else CPU cores)",
    },
  ],
  details:
    "Stages are longest-path levels; `*` marks the critical path. Exit 0: plan ok; 1: the plan has errors " +
    "(nothing is written for a workstream with a cycle); 2: the repo cannot be loaded.",
  async run(args, ctx: CommandContext) {
    const inputs = await loadPlanInputs(ctx.cwd);
    const workers = resolveWorkers(flagNumber(args, "workers"), inputs.repo);
    const result = planRepo(inputs, {
      workers,
      generatedAt: ctx.io.now().toISOString(),
      offers: localOffers(inputs.repo, ctx.io.env),
    });
    const only = selectWorkstreams(flagList(args, "workstream"), result);
    const written: string[] = [];
    for (const w of result.workstreams) {
      if (only && !only.has(w.workstreamId)) continue;
      if (!w.dag || !w.plan) continue;
      const names = planFileNames(w.workstreamId);
      mkdirSync(inputs.stateDir, { recursive: true });
      writeFileAtomic(join(inputs.stateDir, names.dag), `${JSON.stringify(w.dag, null, 2)}\n`);
      writeFileAtomic(join(inputs.stateDir, names.plan), `${JSON.stringify(w.plan, null, 2)}\n`);
      written.push(`.state/${names.dag}`, `.state/${names.plan}`);
    }
    const summary = summarizePlan(result, workers, only);
    return {
      exitCode: summary.ok ? 0 : 1,
      data: { ...summary, files: written },
      render: () => renderPlan(summary, written),
    };
  },
};
