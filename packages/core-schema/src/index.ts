/**
 * @weft/core-schema — the shapes of everything weft reads and writes. No I/O.
 *
 * Public API (stability):
 * - Documents (zod schema + type of the same name), stable since 0.1.0: TaskDefinition (2.0.0), TaskDefinitionV1,
 *   WorkstreamDefinition, WeftConfig, CapabilityRegistry/CapabilityEntry, ResourceRegistry/ResourceEntry,
 *   EventLine/EventDraft, CurrentState and its records, ByWorkstreamIndex/ByStatusIndex/ByWorkerIndex, DagDocument,
 *   ExecutionPlan, MetricsDocument, AttemptResult (AIDER-INT-003). DOCUMENT_SCHEMAS lists them for `schemas/`.
 * - State machines as data (SM-DEF-001..003), stable since 0.1.0: TASK_MACHINE, WORKSTREAM_MACHINE, WORKER_MACHINE,
 *   checkTransition, requireTransition.
 * - The reducer, stable since 0.1.0: createStateModel, applyEvent, replayEvents, modelFromSnapshot,
 *   snapshotFromModel — the single definition of how events change state (STATE-OBS-002 replay).
 * - Migrations (SCHEMA-VER-002), stable since 0.1.0: migrateTaskV1ToV2, downgradeTaskV2ToV1, migrationDefaults.
 * - Errors, stable since 0.1.0: WeftError, isWeftError, ERROR_CODES.
 * - Interfaces, experimental: TaskRunner, TaskRunContext.
 *
 * Integration points: every other @weft package imports its types from here; the state store persists
 * StateModel via snapshotFromModel; the scheduler checks each change with checkTransition.
 * Dependencies: zod 4.
 */

export {
  applyEvent,
  type ChangedEntity,
  createStateModel,
  EPOCH,
  modelFromSnapshot,
  replayEvents,
  type StateModel,
  snapshotFromModel,
} from "./apply-event.js";
export { AttemptError, AttemptErrorType, AttemptResult } from "./attempt-result.js";
export {
  CapabilityEntry,
  CapabilityRegistry,
  CapabilityStability,
  resolveCapability,
  toSnakeCase,
} from "./capability-registry.js";
export {
  ByStatusIndex,
  ByWorkerIndex,
  ByWorkstreamIndex,
  CurrentState,
  ResourceHolder,
  ResourceRecord,
  RunRecord,
  STATE_SCHEMA_VERSION,
  TaskRecord,
  WorkerRecord,
  WorkerStatus,
  WorkstreamRecord,
} from "./current-state.js";
export { DOCUMENT_SCHEMAS } from "./document-schemas.js";
export { ERROR_CODES, type ErrorCode } from "./error-codes.js";
export {
  Actor,
  EntityType,
  EVENT_SCHEMA_VERSION,
  EventDraft,
  EventLine,
  EventType,
  SEVERITY_RANK,
  Severity,
} from "./event-line.js";
export {
  BUILTIN_GATE_RULES,
  GATE_RULES,
  type GateRuleName,
  type ResolvedGateRule,
  resolveGateRule,
} from "./gate-rules.js";
export { ID_PATTERN, Id, IsoTimestamp, isValidId, SemVer } from "./ids.js";
export { type Logger, silentLogger } from "./logger.js";
export {
  downgradeTaskV2ToV1,
  migrateTaskV1ToV2,
  migrationDefaults,
  taskSchemaVersionOf,
} from "./migrate-task.js";
export { DagDocument, ExecutionPlan, MetricsDocument } from "./plan-documents.js";
export {
  type CodeSection,
  renderErrorCatalog,
  renderJsonSchemas,
  renderStateMachineYaml,
} from "./render-generated.js";
export {
  RefillRate,
  ResourceEntry,
  ResourceRegistry,
  ResourceType,
  refillPerSecond,
} from "./resource-registry.js";
export {
  checkTransition,
  requireTransition,
  STATE_MACHINES,
  type StateMachine,
  TASK_MACHINE,
  type TransitionCheck,
  type TransitionDef,
  WORKER_MACHINE,
  WORKSTREAM_MACHINE,
} from "./state-machines.js";
export type { StateStorePort } from "./state-store-port.js";
export {
  ContextRequirements,
  CURRENT_TASK_SCHEMA_VERSION,
  KNOWN_TASK_FIELDS,
  ResourceRequirement,
  TASK_SCHEMA_VERSIONS,
  TaskDefinition,
  TaskDefinitionState,
  TaskDefinitionV1,
  TaskExecution,
  TaskStatus,
  TaskType,
  ValidationRules,
  WorkerRequirements,
} from "./task-definition.js";
export type { TaskRunContext, TaskRunner } from "./task-runner.js";
export {
  AiderConfig,
  defaultConfig,
  RetentionConfig,
  WeftConfig,
  WorkerCapabilityDecl,
} from "./weft-config.js";
export { isWeftError, WeftError, type WeftErrorOptions } from "./weft-error.js";
export { Isolation, MergeStrategy, WorkstreamDefinition, WorkstreamStatus } from "./workstream-definition.js";
