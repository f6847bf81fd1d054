/**
 * @weft/scheduler — the weft engine (SM-DEF-001..003, CONC-REG-002, ERR-FM-001..003, DESIGN §4).
 *
 * Public API (stability):
 * - createEngine(options) → { plan, run, cancel } — experimental since 0.1.0: runs a loaded repo against a
 *   StateStorePort with injected runners, workspace (git), clock, logger and signals.
 * - runShellCommand, createCommandRunner(exec?) — experimental: the command runner (own process group, TERM→KILL,
 *   WEFT_* env). startSpawnLauncher — experimental: the long-lived launcher process the engine spawns commands through:
 *   the native `launcher/bin/weft-spawn-<platform>-<arch>` (posix_spawn; built from `launcher/weft-spawn.c` by
 *   `pnpm build` where a C compiler is available) or else `launcher/spawn-launcher.mjs`, both shipped in the package;
 *   WEFT_LAUNCHER=node picks the Node one, `EngineOptions.spawnLauncher: false` turns both off.
 * - Pure modules, stable since 0.1.0: computeReadySet, computeRemainingPaths, findTaskCycles, ReadyHeap, runsBefore,
 *   chooseNext, ResourcePool, matchCapabilities, compareSemver, computeBackoffSeconds, computeJitter,
 *   deriveWorkstreamStatus, resolveGateRule, shellQuote, substitutePlaceholders, transitionEvent.
 * - createMemoryStateStore — experimental: an in-memory StateStorePort (dry runs, tests).
 * - applyManualRetry, applyManualCancel — experimental: `weft retry` / `weft cancel` (manual_override events).
 * - detectCapabilities — experimental: what local workers advertise.
 * - WorkspacePort — experimental: the git operations the engine calls; createWorkspaceManager / createWorkspacePort
 *   (src/git/, the git layer) implement it — experimental.
 *
 * Integration points: `@weft/cli` commands run/retry/cancel; `apps/weft` injects the state store, the aider runner and
 * the workspace manager. Dependencies: @weft/core-schema, @weft/dag (critical path, cycles), execa (git layer),
 * node:child_process.
 */
export { type BackoffOptions, computeBackoffSeconds, computeJitter } from "./backoff.js";
export { chooseNext, ReadyHeap, type ReadyKey, runsBefore } from "./choose-next.js";
export {
  attemptResultOf,
  createCommandRunner,
  runShellCommand,
  type ShellCommand,
  type ShellResult,
} from "./command-runner.js";
export {
  computeReadySet,
  computeRemainingPaths,
  findTaskCycles,
  type ReadyInput,
} from "./compute-ready-set.js";
export {
  createEngine,
  type Engine,
  type EngineOptions,
  type EngineRepo,
  type PlanProblem,
  type RunSummary,
} from "./create-engine.js";
export { deriveWorkstreamStatus, type WorkstreamTaskCounts } from "./derive-workstream-status.js";
export { detectCapabilities } from "./detect-capabilities.js";
export {
  createWorkspaceManager,
  createWorkspacePort,
  type WorkspaceManager,
  type WorkspaceManagerOptions,
  type WorkspacePortOptions,
} from "./git/index.js";
export { applyManualCancel, applyManualRetry } from "./manual-override.js";
export { compareSemver, matchCapabilities, type WorkerCapability } from "./match-capabilities.js";
export { createMemoryStateStore, type MemoryStateStore } from "./memory-state-store.js";
export { isGroupAlive, killProcessGroup, processState } from "./process-group.js";
export { BUILTIN_GATES, type GateRule, resolveGateRule } from "./resolve-gate-rule.js";
export { type AcquireCheck, type HoldMode, ResourcePool, type ResourceView } from "./resource-pool.js";
export { type CommandPlaceholders, shellQuote, substitutePlaceholders } from "./shell-quote.js";
export {
  LAUNCHER_SCRIPT,
  type LauncherKind,
  NATIVE_LAUNCHER,
  nativeLauncherUsable,
  type SpawnLauncher,
  type SpawnLauncherOptions,
  startSpawnLauncher,
} from "./spawn-launcher.js";
export { plainEvent, taskEvent, transitionEvent, workerEvent, workstreamEvent } from "./transition-events.js";
export type { MergeOutcome, PreparedWorkspace, WorkspacePort } from "./workspace-port.js";
