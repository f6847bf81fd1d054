/**
 * @weft/validators — the COMPLIANCE-001 validators (SPEC §14) and the gate rules the scheduler runs (DESIGN §4).
 * Validators only read: they never execute anything from the repository and never write to it.
 *
 * Public API (stability):
 * - validateRepo(options) → ValidationReport, stable since 0.1.0: runs the checks of the scopes
 *   (all | state | tasks | dag | failure-modes | docs); ValidateRepoOptions, VALIDATOR_TOOL.
 * - Reports, stable since 0.1.0: ValidationReport, RequirementResult, RequirementStatus, Violation,
 *   ViolationLevel, CheckOutcome, Skipped, computeReport (pure: outcomes → PASS/FAIL/WARN/SKIP per requirement).
 * - Output formats, stable since 0.1.0: renderReport, REPORT_FORMATS, ReportFormat, formatText, formatJson,
 *   formatSarif (SARIF 2.1.0), formatGithub (workflow annotations).
 * - Command line, stable since 0.1.0: runValidateCli (the `weft-validate` bin), resolveValidateInvocation,
 *   ValidateInvocation, ValidateCliIO, VALIDATE_FLAGS, VALIDATE_USAGE, VALIDATE_DETAILS — shared with `weft validate`.
 * - Requirement catalog, stable since 0.1.0: REQUIREMENTS, RequirementInfo, requirementInfo, requirementsForScopes,
 *   VALIDATE_SCOPES, ValidateScope.
 * - Docs structure, experimental: FAILURE_MODES, FailureMode, FAILURE_MODE_SECTIONS, knownEventSeverities,
 *   EXECUTION_MODEL_DOCS, MIGRATION_DOC_SECTIONS, RETENTION_DOC_PHRASES, MODULE_HEADER_PARTS.
 * - Gate rules, experimental: resolveGateRule, ResolvedGateRule, GATE_RULES, GateRuleName, BUILTIN_GATE_RULES.
 * - Log scan, experimental: scanEventLog, EventLogSummary (one streaming pass over transitions.jsonl).
 *
 * Integration points: `weft validate` (@weft/cli) calls resolveValidateInvocation + validateRepo + renderReport;
 * the `weft-validate` bin calls runValidateCli; the scheduler calls resolveGateRule for validation_rules. Checks
 * reuse @weft/loader (loadRepo diagnostics), @weft/dag (graph analysis) and @weft/state-store where they exist.
 * Dependencies: @weft/core-schema, @weft/loader, @weft/dag, @weft/state-store, zod 4; node:util parseArgs.
 */

export {
  BUILTIN_GATE_RULES,
  GATE_RULES,
  type GateRuleName,
  type ResolvedGateRule,
  resolveGateRule,
} from "@weft/core-schema"; // one definition for the scheduler and the validators
export { type EventLogSummary, scanEventLog } from "./checks/check-event-log.js";
export { EXECUTION_MODEL_DOCS } from "./checks/check-execution-docs.js";
export { MODULE_HEADER_PARTS } from "./checks/check-module-headers.js";
export { MIGRATION_DOC_SECTIONS, RETENTION_DOC_PHRASES } from "./checks/check-operations-docs.js";
export {
  FAILURE_MODE_SECTIONS,
  FAILURE_MODES,
  type FailureMode,
  knownEventSeverities,
} from "./failure-modes.js";
export { formatGithub } from "./format-github.js";
export { formatJson } from "./format-json.js";
export { formatSarif } from "./format-sarif.js";
export { formatText } from "./format-text.js";
export { REPORT_FORMATS, type ReportFormat, renderReport } from "./render-report.js";
export {
  REQUIREMENTS,
  type RequirementInfo,
  requirementInfo,
  requirementsForScopes,
  VALIDATE_SCOPES,
  type ValidateScope,
} from "./requirements.js";
export { runValidateCli, type ValidateCliIO } from "./run-validate-cli.js";
export {
  resolveValidateInvocation,
  VALIDATE_DETAILS,
  VALIDATE_FLAGS,
  VALIDATE_USAGE,
  type ValidateInvocation,
} from "./validate-args.js";
export { VALIDATOR_TOOL, type ValidateRepoOptions, validateRepo } from "./validate-repo.js";
export {
  type CheckOutcome,
  computeReport,
  type RequirementResult,
  type RequirementStatus,
  type Skipped,
  type ValidationReport,
  type Violation,
  type ViolationLevel,
} from "./validation-report.js";
