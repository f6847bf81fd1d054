import type { PlanTask } from "./plan-task.js";

/** Where a task's estimate came from (SPEC §8, DAG-VIEW-002). */
export type EstimateSource = "task" | "history" | "default";
export const ESTIMATE_SOURCES: readonly EstimateSource[] = ["task", "history", "default"];

/** The per-type defaults of `weft.config.json` (`defaults.estimate_seconds_by_type`). */
export const DEFAULT_ESTIMATE_SECONDS_BY_TYPE: Readonly<Record<string, number>> = {
  aider: 120,
  lint: 20,
  pytest: 60,
  custom: 30,
};

/** Past successful durations: workstream id → task id → seconds, oldest first. */
export type DurationHistory = ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>;

export interface EstimateOptions {
  /** Seconds by task type; a type missing here uses `fallbackSeconds`. */
  readonly secondsByType?: Readonly<Record<string, number>> | undefined;
  /** Default 30 s (the `custom` default). */
  readonly fallbackSeconds?: number | undefined;
  /** Durations of past successful runs, e.g. from {@link collectSuccessfulDurations}. */
  readonly history?: DurationHistory | undefined;
}

export interface Estimates {
  /** Node → seconds. */
  readonly seconds: Float64Array;
  /** Node → index into {@link ESTIMATE_SOURCES}. */
  readonly source: Uint8Array;
}

/**
 * A task's estimate (SPEC §8): its `estimated_duration_seconds`, else the median of its past successful durations,
 * else the default for its type.
 */
export function resolveEstimates(
  workstreamId: string,
  tasks: readonly PlanTask[],
  options: EstimateOptions = {},
): Estimates {
  const n = tasks.length;
  const seconds = new Float64Array(n);
  const source = new Uint8Array(n);
  const byType = options.secondsByType ?? DEFAULT_ESTIMATE_SECONDS_BY_TYPE;
  const fallback = options.fallbackSeconds ?? 30;
  const history = options.history?.get(workstreamId);
  for (let i = 0; i < n; i++) {
    const task = tasks[i]!;
    const own = task.estimated_duration_seconds;
    if (own !== undefined && Number.isFinite(own) && own >= 0) {
      seconds[i] = own;
      continue;
    }
    const past = history?.get(task.task_id);
    if (past && past.length > 0) {
      seconds[i] = computeMedian(past);
      source[i] = 1;
      continue;
    }
    const byTypeValue = task.type === undefined ? undefined : byType[task.type];
    seconds[i] = byTypeValue ?? fallback;
    source[i] = 2;
  }
  return { seconds, source };
}

/** The median (mean of the two middle values for an even count). Throws on an empty list. */
export function computeMedian(values: readonly number[]): number {
  if (values.length === 0) throw new Error("computeMedian of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Collects past successful durations from event lines of `.state/transitions.jsonl` (STATE-OBS-004): task events
 * that reach `completed` (`event: "task_completed"` or `to_state: "completed"`) with a numeric
 * `metadata.duration_seconds`. Anything else is skipped, so a partial or foreign line does no harm.
 */
export function collectSuccessfulDurations(events: Iterable<unknown>): DurationHistory {
  const out = new Map<string, Map<string, number[]>>();
  for (const raw of events) {
    if (typeof raw !== "object" || raw === null) continue;
    const e = raw as Record<string, unknown>;
    if (e.event !== "task_completed" && e.to_state !== "completed") continue;
    if (e.entity_type !== undefined && e.entity_type !== "task") continue;
    const taskId =
      typeof e.task_id === "string" ? e.task_id : typeof e.entity_id === "string" ? e.entity_id : undefined;
    const ws = e.workstream_id;
    const meta = e.metadata as Record<string, unknown> | undefined;
    const d = meta?.duration_seconds;
    if (
      taskId === undefined ||
      typeof ws !== "string" ||
      typeof d !== "number" ||
      !Number.isFinite(d) ||
      d < 0
    )
      continue;
    let tasks = out.get(ws);
    if (!tasks) {
      tasks = new Map();
      out.set(ws, tasks);
    }
    const list = tasks.get(taskId);
    if (list) list.push(d);
    else tasks.set(taskId, [d]);
  }
  return out;
}
