/**
 * @weft/dag — task graphs and execution plans (SPEC §8, DAG-VIEW-001..003; DESIGN §2, §6). Pure: no I/O, no
 * printing, no clock (callers pass `generatedAt`).
 *
 * Public API (stability):
 * - Planning, stable since 0.1.0: computePlans, computeWorkstreamPlan (graphs, cycles, estimates, order, stages,
 *   critical path, makespan, capability/resource problems, and the DagDocument / ExecutionPlan documents);
 *   PLAN_SCHEMA_VERSION; types PlanTask, PlanWorkstream, PlanOptions, PlanResult, WorkstreamPlan, StageSummary,
 *   DagIssue, DagIssueKind; isBlockingIssue.
 * - Graph algorithms on flat typed arrays, stable since 0.1.0: buildTaskGraphs, buildWorkstreamGraph, findCycles,
 *   isAcyclic, stronglyConnectedComponents, analyzeGraph, simulateSchedule, compileResources, checkCapabilities,
 *   compareIds, compareSemver.
 * - Estimates, stable since 0.1.0: resolveEstimates, computeMedian, collectSuccessfulDurations,
 *   DEFAULT_ESTIMATE_SECONDS_BY_TYPE, ESTIMATE_SOURCES.
 * - CLI support, stable since 0.1.0: summarizePlan (the data `weft plan` prints), planFileNames (the file names of
 *   a workstream's documents inside `.state/`).
 * - Compliance, stable since 0.1.0: checkDagDocuments (DAG-VIEW-001..003 on documents read by the caller),
 *   DAG_REQUIREMENTS — `@weft/validators` runs it for `weft validate dag`.
 * - Pictures, experimental: createGraphView (with a size limit, DEFAULT_MAX_DRAWN_NODES, above which one box per
 *   stage is drawn), renderSvg, renderHtml, renderMermaid, renderDot, layoutGraph (the one typed wrapper around
 *   dagre), STATUS_COLORS, CRITICAL_COLOR, formatSeconds.
 *
 * Integration points: `weft plan` and `weft graph` (packages/cli) load the repo and `.state`, call computePlans and
 * the renderers, and write the files; `@weft/validators` calls checkDagDocuments; the scheduler orders ready tasks
 * by the same rule (longest remaining path, priority, id).
 * Dependencies: @weft/core-schema (document schemas, WeftError, registries), @dagrejs/dagre (layout only).
 */
export { analyzeGraph, type GraphAnalysis } from "./analyze-graph.js";
export { type BuiltTaskGraphs, buildTaskGraphs, compareIds } from "./build-task-graphs.js";
export { buildWorkstreamGraph, type WorkstreamGraph } from "./build-workstream-graph.js";
export {
  checkCapabilities,
  compareSemver,
  type PlanCapability,
  type WorkerOffer,
} from "./check-capabilities.js";
export {
  checkDagDocuments,
  DAG_REQUIREMENTS,
  type DagCheckIssue,
  type DagCheckResult,
  type DagDocumentsInput,
  type DagRequirement,
  type FoundDocument,
} from "./check-dag-documents.js";
export {
  type CompiledResources,
  compileResources,
  type PlanResource,
  REQ_EXCLUSIVE,
  REQ_SHARED,
  REQ_UNITS,
} from "./compile-resources.js";
export {
  computePlans,
  computeWorkstreamPlan,
  PLAN_SCHEMA_VERSION,
  type PlanOptions,
  type PlanResult,
  round3,
  type StageSummary,
  type WorkstreamPlan,
} from "./compute-plan.js";
export {
  CRITICAL_COLOR,
  createGraphView,
  DEFAULT_MAX_DRAWN_NODES,
  DEFAULT_MAX_LAYOUT_COST,
  formatSeconds,
  type GraphView,
  type GraphViewOptions,
  STATUS_COLORS,
  statusColor,
  type ViewEdge,
  type ViewNode,
} from "./create-graph-view.js";
export { type DagIssue, type DagIssueKind, isBlockingIssue } from "./dag-issue.js";
export {
  collectSuccessfulDurations,
  computeMedian,
  DEFAULT_ESTIMATE_SECONDS_BY_TYPE,
  type DurationHistory,
  ESTIMATE_SOURCES,
  type EstimateOptions,
  type EstimateSource,
  type Estimates,
  resolveEstimates,
} from "./estimate-durations.js";
export { findCycles, isAcyclic, stronglyConnectedComponents } from "./find-cycles.js";
export {
  type Layout,
  type LayoutEdgeInput,
  type LayoutNodeInput,
  type LayoutOptions,
  layoutGraph,
  type PlacedEdge,
  type PlacedNode,
  type Point,
} from "./layout-graph.js";
export { planFileNames } from "./plan-file-names.js";
export type { PlanTask, PlanWorkstream } from "./plan-task.js";
export { escapeDot, renderDot } from "./render-dot.js";
export { renderHtml } from "./render-html.js";
export { escapeMermaid, renderMermaid } from "./render-mermaid.js";
export { escapeXml, renderSvg, type SvgOptions } from "./render-svg.js";
export { type Schedule, type ScheduleInput, simulateSchedule } from "./simulate-schedule.js";
export { type PlanSummary, summarizePlan, type WorkstreamPlanSummary } from "./summarize-plan.js";
export type { IndexedGraph, TaskGraph } from "./task-graph.js";
