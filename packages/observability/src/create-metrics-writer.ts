import {
  type EventLine,
  type Logger,
  type MetricsDocument,
  type StateModel,
  silentLogger,
} from "@weft/core-schema";
import { computeMetrics, countErrorEvents } from "./compute-metrics.js";
import { type MetricsFiles, writeMetricsFile } from "./write-metrics-file.js";

export interface MetricsWriterOptions {
  readonly files: MetricsFiles;
  /** The live state (e.g. `() => store.model`). */
  readonly model: () => Readonly<StateModel>;
  /** `metrics.interval_seconds`, default 60. */
  readonly intervalSeconds?: number | undefined;
  /** `retention.metrics_days`, default 30. */
  readonly retentionDays?: number | undefined;
  readonly clock?: (() => Date) | undefined;
  readonly logger?: Logger | undefined;
}

/** Writes `.state/metrics.json` on a timer during a run (OBS-001). */
export interface MetricsWriter {
  /** Counts the warning/error/critical events of a committed batch (call it from the engine's `onEvent`). */
  observe(events: Iterable<Pick<EventLine, "event" | "severity">>): void;
  /** Computes and writes the metrics now; returns what was written (undefined when the write failed). */
  writeNow(): MetricsDocument | undefined;
  /** Stops the timer and writes a final document. Idempotent. */
  stop(): MetricsDocument | undefined;
}

/**
 * The engine's metrics loop (SPEC §13: `.state/metrics.json` every 60 s during a run): a timer (unref'd, so it never
 * keeps the process alive) that calls `computeMetrics` on the live model and `writeMetricsFile`. A failed write is
 * logged (`logger.warn`), never thrown: metrics must not stop a run.
 *
 * ```ts
 * const metrics = createMetricsWriter({ files, model: () => store.model, intervalSeconds: cfg.metrics.interval_seconds });
 * // engine onEvent: (lines) => metrics.observe(lines)
 * // after engine.run(): metrics.stop()
 * ```
 */
export function createMetricsWriter(options: MetricsWriterOptions): MetricsWriter {
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  let errors: Record<string, number> = {};
  let stopped = false;
  const writeNow = (): MetricsDocument | undefined => {
    try {
      const metrics = computeMetrics(options.model() as StateModel, { errors }, clock());
      writeMetricsFile(options.files, metrics, { retentionDays: options.retentionDays, now: clock() });
      return metrics;
    } catch (error) {
      logger.warn({ err: (error as Error).message, file: options.files.metrics }, "writing metrics failed");
      return undefined;
    }
  };
  const timer = setInterval(writeNow, Math.max(0.01, options.intervalSeconds ?? 60) * 1000);
  timer.unref();
  return {
    observe(events) {
      errors = countErrorEvents(events, errors);
    },
    writeNow,
    stop() {
      if (stopped) return undefined;
      stopped = true;
      clearInterval(timer);
      return writeNow();
    },
  };
}
