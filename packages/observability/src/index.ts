/**
 * @weft/observability — metrics and the live dashboard (SPEC §13, OBS-001/002; DESIGN §7, §8).
 *
 * Public API (stability):
 * - Metrics, stable since 0.1.0: `computeMetrics(model, counters, now) → MetricsDocument` (pure, OBS-001),
 *   `countErrorEvents(events, into?)` (the `errors` counters), `METRICS_SCHEMA_VERSION`, `RATE_WINDOW_SECONDS`,
 *   `MIN_RATE_WINDOW_SECONDS`; types `MetricsCounters`.
 * - Prometheus / OpenMetrics text, stable since 0.1.0: `renderPrometheus(metrics, { prefix, format })` (pure,
 *   OBS-002), `PROMETHEUS_CONTENT_TYPE`, `OPENMETRICS_CONTENT_TYPE`, `escapeLabelValue`; type `PrometheusOptions`.
 * - Files, stable since 0.1.0: `writeMetricsFile(files, metrics, options)` (atomic `.state/metrics.json` + daily
 *   history `history-YYYYMMDD.jsonl` + pruning after `retention.metrics_days`), `pruneMetricsHistory`,
 *   `historyFileName`, `HISTORY_FILE_NAME`, `writeFileAtomic`; types `MetricsFiles`, `WriteMetricsOptions`,
 *   `WriteMetricsResult`.
 * - The run's metrics loop, stable since 0.1.0: `createMetricsWriter({ files, model, intervalSeconds,
 *   retentionDays }) → { observe(events), writeNow(), stop() }` (unref'd timer; failures logged, never thrown).
 * - Dashboard, experimental: `createDashboardServer(options) → DashboardServer` (node:http; `/`, `/api/state`,
 *   `/api/dag`, `/api/metrics`, `/metrics`, `/events` SSE), `DEFAULT_DASHBOARD_PORT`, `isLoopbackHost`,
 *   `renderDashboardHtml`, `renderWorkstreamsHtml`, `renderWorkstreamGraphs`, `toPublicEvent`,
 *   `createLogFollower`; types `DashboardServerOptions`, `DashboardServer`, `DashboardFiles`, `DashboardPageInput`,
 *   `WorkstreamGraph`, `WorkstreamGraphOptions`, `PublicEvent`, `LogFollower`.
 *
 * Integration points: `weft run` calls `computeMetrics` + `writeMetricsFile` every `metrics.interval_seconds`
 * (60 s) — most simply through `createMetricsWriter`, feeding it each committed batch via `observe`;
 * `weft metrics` and `weft serve` (packages/cli) build the `.state` paths with @weft/state-store's `statePaths`
 * and call these functions. Nothing here builds a `.state` path itself: callers pass them.
 * Dependencies: @weft/core-schema (StateModel, MetricsDocument, WeftError), @weft/dag (`layoutGraph` — dagre —,
 * status colors, `escapeXml`), Node's fs/http/crypto.
 */
export {
  computeMetrics,
  countErrorEvents,
  METRICS_SCHEMA_VERSION,
  type MetricsCounters,
  MIN_RATE_WINDOW_SECONDS,
  RATE_WINDOW_SECONDS,
} from "./compute-metrics.js";
export {
  createDashboardServer,
  type DashboardFiles,
  type DashboardServer,
  type DashboardServerOptions,
  DEFAULT_DASHBOARD_PORT,
} from "./create-dashboard-server.js";
export { createLogFollower, type LogFollower } from "./create-log-follower.js";
export {
  createMetricsWriter,
  type MetricsWriter,
  type MetricsWriterOptions,
} from "./create-metrics-writer.js";
export { isLoopbackHost } from "./is-loopback-host.js";
export {
  type DashboardPageInput,
  renderDashboardHtml,
  renderWorkstreamsHtml,
} from "./render-dashboard-html.js";
export {
  escapeLabelValue,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  type PrometheusOptions,
  renderPrometheus,
} from "./render-prometheus.js";
export {
  renderWorkstreamGraphs,
  type WorkstreamGraph,
  type WorkstreamGraphOptions,
} from "./render-workstream-graphs.js";
export { type PublicEvent, toPublicEvent } from "./to-public-event.js";
export {
  HISTORY_FILE_NAME,
  historyFileName,
  type MetricsFiles,
  pruneMetricsHistory,
  type WriteMetricsOptions,
  type WriteMetricsResult,
  writeFileAtomic,
  writeMetricsFile,
} from "./write-metrics-file.js";
