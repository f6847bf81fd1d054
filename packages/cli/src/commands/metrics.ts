import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createStateModel,
  defaultConfig,
  type MetricsDocument,
  modelFromSnapshot,
  type WeftConfig,
  WeftError,
} from "@weft/core-schema";
import { parseConfigFile } from "@weft/loader";
import {
  computeMetrics,
  countErrorEvents,
  type MetricsFiles,
  renderPrometheus,
  writeMetricsFile,
} from "@weft/observability";
import { loadSnapshot, type StatePaths, statePaths } from "@weft/state-store";
import type { CommandSpec } from "../command-spec.js";
import { flagBool, flagString } from "../parse-args.js";

/** Reads weft.config.json (defaults when absent); an invalid file is CLI_CONFIG (exit 2). */
export function loadMetricsConfig(cwd: string): WeftConfig {
  const file = join(cwd, "weft.config.json");
  if (!existsSync(file)) return defaultConfig();
  const parsed = parseConfigFile(readFileSync(file, "utf8"), { file });
  if (parsed.config === undefined) {
    const first = parsed.issues[0];
    throw new WeftError("CLI_CONFIG", first ? first.message : "weft.config.json is invalid", {
      hint: "fix weft.config.json (weft validate lists every problem)",
      details: first ? { file, line: first.line, column: first.column } : { file },
    });
  }
  const prefix = parsed.config.metrics.prefix;
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) {
    throw new WeftError(
      "CLI_CONFIG",
      `metrics.prefix ${JSON.stringify(prefix)} is not a valid metric name prefix`,
      {
        hint: 'use letters, digits and underscores, e.g. "weft_"',
        details: { file },
      },
    );
  }
  return parsed.config;
}

/**
 * `.state/metrics.json` and `.state/metrics/` (OBS-001). TODO(state-store): move into `statePaths` — the one place
 * `.state` paths are built — and use it from there.
 */
export function metricsFilesOf(paths: StatePaths): MetricsFiles {
  return { metrics: join(paths.dir, "metrics.json"), historyDir: join(paths.dir, "metrics") };
}

/** Warning/error/critical events of the live log since `since` (the run's start), by event name. */
function errorCountsOf(logFile: string, since: string): Record<string, number> {
  let text: string;
  try {
    text = readFileSync(logFile, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw e;
  }
  const picked: { event: string; severity: "info" | "warning" | "error" | "critical" }[] = [];
  for (const line of text.split("\n")) {
    if (!line.includes('"severity"') || line.includes('"severity":"info"')) continue;
    try {
      const e = JSON.parse(line) as { event?: unknown; severity?: unknown; timestamp?: unknown };
      if (typeof e.event !== "string" || typeof e.timestamp !== "string" || e.timestamp < since) continue;
      if (e.severity === "warning" || e.severity === "error" || e.severity === "critical") {
        picked.push({ event: e.event, severity: e.severity });
      }
    } catch {
      // A torn or damaged line: `weft validate state` reports it; metrics skip it.
    }
  }
  return countErrorEvents(picked);
}

/** Computes the metrics document from `.state` (read-only). */
export function readMetrics(stateDir: string, now: Date): MetricsDocument {
  const paths = statePaths(stateDir);
  const loaded = loadSnapshot(paths, { validate: false });
  if (loaded.status === "corrupt") {
    throw new WeftError(
      "STATE_CORRUPT",
      `${paths.current}:${loaded.line}:${loaded.column}: ${loaded.message}`,
      {
        hint: "run `weft validate state`; the next `weft run` rebuilds the snapshot from the log",
        details: { file: paths.current, line: loaded.line, column: loaded.column },
      },
    );
  }
  const model = loaded.status === "ok" ? modelFromSnapshot(loaded.snapshot) : createStateModel();
  const since = loaded.status === "ok" ? (loaded.snapshot.run?.started_at ?? "") : "";
  return computeMetrics(model, { errors: errorCountsOf(paths.log, since) }, now);
}

/** `weft metrics [--format json|prometheus] [--write]` (OBS-001/002): reads `.state`, never executes anything. */
export const metricsCommand: CommandSpec = {
  name: "metrics",
  summary: "current metrics from .state (JSON or Prometheus text)",
  usage: ["metrics [--format json|prometheus] [--write]"],
  flags: [
    {
      name: "format",
      type: "string",
      value: "json|prometheus",
      description: "json: the .state/metrics.json document (default); prometheus: Prometheus text format",
    },
    {
      name: "write",
      type: "boolean",
      description: "also write .state/metrics.json and append to .state/metrics/history-YYYYMMDD.jsonl",
    },
  ],
  details:
    "Computed from .state/current.json and the warning/error events of .state/transitions.jsonl since the run started.\n" +
    "Metric names and meanings: docs/operations/OBSERVABILITY.md. Exit codes: 0 ok, 2 bad usage or config.",
  async run(args, ctx) {
    const format = flagString(args, "format") ?? "json";
    if (format !== "json" && format !== "prometheus") {
      throw new WeftError("CLI_USAGE", `unknown --format '${format}'`, {
        hint: "use --format json or --format prometheus",
      });
    }
    const config = loadMetricsConfig(ctx.cwd);
    const stateDir = join(ctx.cwd, ".state");
    const metrics = readMetrics(stateDir, ctx.io.now());
    if (flagBool(args, "write")) {
      writeMetricsFile(metricsFilesOf(statePaths(stateDir)), metrics, {
        retentionDays: config.retention.metrics_days,
        now: ctx.io.now(),
      });
    }
    if (format === "prometheus" && !ctx.json) {
      return { exitCode: 0, render: () => renderPrometheus(metrics, { prefix: config.metrics.prefix }) };
    }
    return { exitCode: 0, data: metrics, render: () => JSON.stringify(metrics, null, 2) };
  },
};
