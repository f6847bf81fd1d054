import type { MetricsDocument } from "@weft/core-schema";

export interface PrometheusOptions {
  /** Metric name prefix (`weft.config.json` `metrics.prefix`); default `weft_`. */
  readonly prefix?: string | undefined;
  /**
   * `prometheus` (default): the text exposition format 0.0.4 (`text/plain; version=0.0.4`). `openmetrics`:
   * OpenMetrics 1.0 text (`application/openmetrics-text; version=1.0.0`), counter families named without
   * `_total`, ending with `# EOF`.
   */
  readonly format?: "prometheus" | "openmetrics" | undefined;
}

/** Content types of the two formats, for HTTP responses. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
export const OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

const TASK_STATUSES = [
  "pending",
  "blocked",
  "queued",
  "running",
  "validating",
  "retrying",
  "completed",
  "failed",
  "cancelled",
] as const;

/** A valid metric-name prefix: `[a-zA-Z_:][a-zA-Z0-9_:]*`, conventionally ending with `_`. */
const PREFIX = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Escapes a label value (backslash, double quote, newline) per the exposition format. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function num(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Number.POSITIVE_INFINITY) return "+Inf";
  if (x === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(x);
}

interface Sample {
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number;
}

interface Family {
  /** Name without prefix; counters include `_total`. */
  readonly name: string;
  readonly type: "gauge" | "counter";
  readonly help: string;
  readonly samples: readonly Sample[];
}

/** The metric families of a metrics document (names without prefix). No task, run or worker ids in labels. */
function families(m: MetricsDocument): Family[] {
  return [
    {
      name: "workstreams_active",
      type: "gauge",
      help: "Workstreams that are ready, executing or validating.",
      samples: [{ value: m.workstreams.active }],
    },
    {
      name: "workstreams_completed_today",
      type: "gauge",
      help: "Workstreams completed during the current UTC day.",
      samples: [{ value: m.workstreams.completed_today }],
    },
    {
      name: "workstreams_failed_today",
      type: "gauge",
      help: "Workstreams failed during the current UTC day.",
      samples: [{ value: m.workstreams.failed_today }],
    },
    {
      name: "tasks",
      type: "gauge",
      help: "Tasks by lifecycle state (SM-DEF-001).",
      samples: TASK_STATUSES.map((status) => ({ labels: { status }, value: m.tasks[status] })),
    },
    {
      name: "task_average_duration_seconds",
      type: "gauge",
      help: "Mean duration of completed tasks, in seconds.",
      samples: [{ value: m.tasks.avg_duration_seconds }],
    },
    {
      name: "task_completions_per_second",
      type: "gauge",
      help: "Task completion rate over the last hour (or the run so far), per second.",
      samples: [{ value: m.tasks.completion_rate_per_hour / 3600 }],
    },
    {
      name: "workers",
      type: "gauge",
      help: "Workers by state (idle, busy, unresponsive).",
      samples: (["idle", "busy", "unresponsive"] as const).map((status) => ({
        labels: { status },
        value: m.workers[status],
      })),
    },
    {
      name: "workers_registered",
      type: "gauge",
      help: "Workers registered and not shut down.",
      samples: [{ value: m.workers.total }],
    },
    {
      name: "worker_utilization_ratio",
      type: "gauge",
      help: "Share of worker time spent on tasks over the last hour (0 to 1).",
      samples: [{ value: m.workers.avg_utilization }],
    },
    {
      name: "errors_total",
      type: "counter",
      help: "Warning, error and critical events by event name.",
      samples: Object.keys(m.errors)
        .sort()
        .map((event) => ({ labels: { event }, value: m.errors[event] ?? 0 })),
    },
    {
      name: "tokens_total",
      type: "counter",
      help: "Model tokens used by the tasks of the current state.",
      samples: [{ value: m.tokens_used }],
    },
    {
      name: "cost_usd_total",
      type: "counter",
      help: "Model cost of the tasks of the current state, in US dollars.",
      samples: [{ value: m.cost_usd }],
    },
  ];
}

/**
 * Renders a metrics document as Prometheus text (OBS-002): one prefix, base units (`_seconds`, ratios 0–1,
 * rates per second), `_total` for counters, `# HELP` / `# TYPE` lines, and labels that name only a `status` or an
 * `event` — never a task, run or worker id (bounded cardinality). Pure.
 */
export function renderPrometheus(metrics: MetricsDocument, options: PrometheusOptions = {}): string {
  const prefix = options.prefix ?? "weft_";
  if (!PREFIX.test(prefix)) throw new Error(`invalid metric prefix ${JSON.stringify(prefix)}`);
  const open = options.format === "openmetrics";
  const lines: string[] = [];
  for (const f of families(metrics)) {
    const name = prefix + f.name;
    const family = open && f.type === "counter" ? name.replace(/_total$/, "") : name;
    lines.push(`# HELP ${family} ${f.help}`);
    lines.push(`# TYPE ${family} ${f.type}`);
    for (const s of f.samples) {
      const labels = s.labels
        ? `{${Object.entries(s.labels)
            .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
            .join(",")}}`
        : "";
      lines.push(`${name}${labels} ${num(s.value)}`);
    }
  }
  if (open) lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}
