import type { EventLine, MetricsDocument, StateModel, TaskRecord } from "@weft/core-schema";

/** Counters the orchestrator (or a reader of the log) keeps across events; see {@link countErrorEvents}. */
export interface MetricsCounters {
  /** Event name → how many warning/error/critical events of that name were seen (OBS-001 `errors`). */
  readonly errors: Readonly<Record<string, number>>;
}

export const METRICS_SCHEMA_VERSION = "1.0.0";

/** The window over which `completion_rate_per_hour` and `avg_utilization` are measured (OBS-001). */
export const RATE_WINDOW_SECONDS = 3600;
/** A run younger than this is measured over this many seconds, so the first completions do not read as spikes. */
export const MIN_RATE_WINDOW_SECONDS = 60;

const ACTIVE_WORKSTREAM = new Set(["ready", "executing", "validating"]);
const OCCUPYING_TASK = new Set(["running", "validating"]);
const TERMINAL_TASK = new Set(["completed", "failed", "cancelled"]);

/**
 * Adds the warning, error and critical events of `events` to `into` by event name (OBS-001 `errors`). Info events
 * (normal progress) are not errors. Pure apart from returning a new object; pass the previous result to keep a
 * running count (the engine does this per committed batch; `weft metrics` does it over the live log).
 */
export function countErrorEvents(
  events: Iterable<Pick<EventLine, "event" | "severity">>,
  into: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const out: Record<string, number> = { ...into };
  for (const e of events) {
    if (e.severity === "info") continue;
    out[e.event] = (out[e.event] ?? 0) + 1;
  }
  return out;
}

function ms(iso: string | null | undefined): number | undefined {
  if (typeof iso !== "string") return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

function utcDayOf(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function taskDuration(t: TaskRecord): number | undefined {
  if (typeof t.duration_seconds === "number" && t.duration_seconds >= 0) return t.duration_seconds;
  const s = ms(t.started_at);
  const e = ms(t.completed_at);
  return s !== undefined && e !== undefined && e >= s ? (e - s) / 1000 : undefined;
}

/**
 * Computes `.state/metrics.json` (OBS-001) from the state model at `now`. Pure: no clock, no I/O.
 *
 * - `workstreams.active`: ready, executing or validating; `completed_today` / `failed_today`: finished on the UTC
 *   day of `now`.
 * - `tasks.<status>`: counts of the nine task states; `avg_duration_seconds`: mean duration of completed tasks
 *   (`duration_seconds`, else `completed_at − started_at`).
 * - `completion_rate_per_hour`: tasks completed in the last hour, per hour; while the run is younger than an hour,
 *   over the run's age (at least {@link MIN_RATE_WINDOW_SECONDS}).
 * - `workers`: `total` excludes shut-down workers; `avg_utilization` = task-busy seconds in the same window ÷
 *   (workers × window), between 0 and 1.
 * - `errors`: from `counters` ({@link countErrorEvents}); `tokens_used` / `cost_usd`: sums over the tasks.
 */
export function computeMetrics(
  model: StateModel,
  counters: MetricsCounters = { errors: {} },
  now: Date = new Date(model.timestamp),
): MetricsDocument {
  const nowMs = now.getTime();
  const today = utcDayOf(nowMs);

  let active = 0;
  let completedToday = 0;
  let failedToday = 0;
  for (const ws of model.workstreams.values()) {
    if (ACTIVE_WORKSTREAM.has(ws.status)) active += 1;
    const done = ms(ws.completed_at);
    if (done !== undefined && utcDayOf(done) === today) {
      if (ws.status === "completed") completedToday += 1;
      else if (ws.status === "failed") failedToday += 1;
    }
  }

  const runStart = ms(model.run?.started_at);
  const age = runStart !== undefined ? (nowMs - runStart) / 1000 : RATE_WINDOW_SECONDS;
  const windowSeconds = Math.min(RATE_WINDOW_SECONDS, Math.max(MIN_RATE_WINDOW_SECONDS, age));
  const windowStart = nowMs - windowSeconds * 1000;

  const counts = {
    pending: 0,
    queued: 0,
    running: 0,
    validating: 0,
    retrying: 0,
    blocked: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
  };
  let durationSum = 0;
  let durationCount = 0;
  let completedInWindow = 0;
  let busySeconds = 0;
  let tokens = 0;
  let cost = 0;
  for (const t of model.tasks.values()) {
    if (t.status in counts) counts[t.status as keyof typeof counts] += 1;
    tokens += Number.isFinite(t.tokens_used) ? t.tokens_used : 0;
    cost += Number.isFinite(t.cost_usd) ? t.cost_usd : 0;
    const end = ms(t.completed_at);
    if (t.status === "completed") {
      const d = taskDuration(t);
      if (d !== undefined) {
        durationSum += d;
        durationCount += 1;
      }
      if (end !== undefined && end > windowStart && end <= nowMs) completedInWindow += 1;
    }
    const start = ms(t.started_at);
    if (start !== undefined) {
      const stop = OCCUPYING_TASK.has(t.status) ? nowMs : TERMINAL_TASK.has(t.status) ? end : undefined;
      if (stop !== undefined) {
        const overlap = Math.min(stop, nowMs) - Math.max(start, windowStart);
        if (overlap > 0) busySeconds += overlap / 1000;
      }
    }
  }

  let total = 0;
  let idle = 0;
  let busy = 0;
  let unresponsive = 0;
  for (const w of model.workers.values()) {
    if (w.status === "shutdown") continue;
    total += 1;
    if (w.status === "idle") idle += 1;
    else if (w.status === "busy") busy += 1;
    else if (w.status === "unresponsive") unresponsive += 1;
  }
  const utilization = total > 0 ? Math.min(1, Math.max(0, busySeconds / (total * windowSeconds))) : 0;

  const errors: Record<string, number> = {};
  for (const name of Object.keys(counters.errors).sort()) {
    const n = counters.errors[name];
    if (typeof n === "number" && n > 0) errors[name] = Math.trunc(n);
  }

  return {
    schema_version: METRICS_SCHEMA_VERSION,
    timestamp: now.toISOString(),
    workstreams: { active, completed_today: completedToday, failed_today: failedToday },
    tasks: {
      ...counts,
      avg_duration_seconds: durationCount > 0 ? round(durationSum / durationCount) : 0,
      completion_rate_per_hour: round((completedInWindow * 3600) / windowSeconds),
    },
    workers: { total, idle, busy, unresponsive, avg_utilization: round(utilization, 4) },
    errors,
    tokens_used: Math.max(0, tokens),
    cost_usd: round(Math.max(0, cost), 6),
  };
}
