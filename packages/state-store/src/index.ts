/**
 * @weft/state-store — the `.state` directory: group-committed snapshot + append-only log, indices, replay,
 * recovery, the single-writer lock, task logs, rotation/archive, verification and audit reports.
 *
 * Public API (stability):
 * - Writing, stable since 0.1.0: `openStateStore(options) → { store, recovery }` (recovery + lock), `StateStore`
 *   (implements core-schema's `StateStorePort`: model, commit, flush, appendTaskLog, close), `RecoveryReport`,
 *   `formatAttemptHeader`.
 * - Reading, stable since 0.1.0: `statePaths`, `stateDirOf`, `taskLogPath`, `archiveSegmentPath`, `loadSnapshot`,
 *   `readEvents`, `listLogSegments`, `parseEventLine`, `replayAt`, `readStatus`, `loadFreshIndex`, `queryEvents`,
 *   `matchesFilter`, `readLiveTail`, `explainTask`, `readTaskLog`, `splitTaskLog`, `readLockHolder`, `stateExists`.
 * - Audit, stable since 0.1.0: `rotateLog`, `verifyLog`, `restoreSegment`, `buildAuditReport` /
 *   `renderAuditReportMarkdown`.
 * - Validation, stable since 0.1.0: `checkStateDir(stateDir) → StateIssue[]` (STATE-OBS-001..006, AUDIT-001/002)
 *   and `STATE_REQUIREMENTS` for `weft validate state` (@weft/validators).
 * - Experimental: `StateStoreHooks` / `BatchTimings` (benchmark observation), `acquireLock`, `appendLog`,
 *   `writeSnapshot`, `writeIndices`, `computeIndices`, `hashLine`, `scanHistory`, `DEFAULT_STATE_SETTINGS`.
 *
 * Integration points: apps/weft opens the store and hands it to the scheduler as a `StateStorePort`; the
 * scheduler re-queues `recovery.interruptedTasks`; @weft/cli's status/events/replay/explain/audit commands call
 * the read functions; @weft/validators calls `checkStateDir`.
 * Dependencies: @weft/core-schema (schemas, the reducer `applyEvent`), Node's fs/zlib/crypto. Error codes:
 * STATE_LOCKED, STATE_CORRUPT, STATE_IO, STATE_ARCHIVE_INVALID, ID_INVALID.
 */
export {
  acquireLock,
  type HeldLock,
  type LockInfo,
  type LockOptions,
  readLockHolder,
} from "./acquire-lock.js";
export { appendLog, hashLine } from "./append-log.js";
export {
  type AuditActor,
  type AuditFailure,
  type AuditIntervention,
  type AuditReport,
  buildAuditReport,
  renderAuditReportMarkdown,
} from "./audit-report.js";
export { checkStateDir, STATE_REQUIREMENTS } from "./check-state-dir.js";
export { computeIndices, type StateIndices } from "./compute-indices.js";
export {
  type BatchTimings,
  DEFAULT_STATE_SETTINGS,
  StateStore,
  type StateStoreHooks,
  type StateStoreInit,
  type StateStoreSettings,
} from "./create-state-store.js";
export {
  type AttemptSummary,
  explainTask,
  type GateResult,
  type TaskExplanation,
} from "./explain-task.js";
export { type LoadedSnapshot, loadSnapshot } from "./load-snapshot.js";
export {
  type OpenedStateStore,
  type OpenStateStoreOptions,
  openStateStore,
  type RecoveryReport,
  stateExists,
} from "./open-state-store.js";
export { type EventFilter, matchesFilter, queryEvents, readLiveTail } from "./query-events.js";
export {
  type LocatedEvent,
  type LogSegment,
  listLogSegments,
  type ParsedLine,
  parseEventLine,
  type ReadEventsOptions,
  readEvents,
} from "./read-log.js";
export {
  type FailedTask,
  loadFreshIndex,
  type RunningTask,
  readStatus,
  type StatusReport,
  type WorkstreamStatusLine,
} from "./read-status.js";
export { type ReplayPoint, type ReplayResult, replayAt } from "./replay-at.js";
export { type RestoreResult, restoreSegment } from "./restore-segment.js";
export { type RotatedSegment, type RotateOptions, type RotateResult, rotateLog } from "./rotate-log.js";
export { type HistoryScan, scanHistory } from "./scan-history.js";
export type { StateIssue } from "./state-issue.js";
export {
  archivedTaskLogPath,
  archiveSegmentPath,
  type StatePaths,
  stateDirOf,
  statePaths,
  taskLogPath,
  utcDay,
} from "./state-paths.js";
export { formatAttemptHeader, readTaskLog, splitTaskLog, type TaskLogAttempt } from "./task-log.js";
export { type SegmentSummary, type VerifyResult, verifyLog } from "./verify-log.js";
export { writeIndices } from "./write-indices.js";
export { writeSnapshot } from "./write-snapshot.js";
