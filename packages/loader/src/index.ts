/**
 * @weft/loader — the one loader that reads a user's weft repo (SPEC §1): `tasks/<ws>/<task>.json`,
 * `tasks/<ws>/_workstream.json`, `capabilities/registry.*` and `capabilities/resources.*` (JSON, YAML or the
 * PowerShell data subset `.psd1`, parsed by weft — PowerShell never runs) and `weft.config.json`. Every problem is
 * a Diagnostic with a permanent code, the requirement it enforces (TASK-DEF-001/002, SCHEMA-VER-001/002,
 * CAP-REG-001, CONC-REG-001/002, SM-DEF-002), `file:line:column`, what is wrong and a fix; loading never stops at
 * the first problem and never executes anything from the repo.
 *
 * Public API (stability):
 * - Loading, stable since 0.1.0: loadRepo (+ LoadRepoOptions, LoadRepoResult, LoadedRepo, RepoFile, LoaderFs),
 *   listTaskFiles, loadTaskFile (for `weft migrate`).
 * - Per-file checks (pure), stable since 0.1.0: parseTaskFile, parseWorkstreamFile, defaultWorkstream,
 *   parseRegistryFile, parseConfigFile.
 * - Diagnostics, stable since 0.1.0: Diagnostic, LOADER_DIAGNOSTIC_CODES, sortDiagnostics, hasErrors,
 *   formatDiagnostic, formatDiagnostics, summarizeDiagnostics; ids: checkId, idDiagnostic, suggestId.
 * - Located parsers, stable since 0.1.0: parsePsd1, parseJsonLocated, parseYamlLocated, parseDocument, parserFor
 *   (+ LocatedDocument, SourcePosition, SyntaxProblem).
 *
 * Integration points: the CLI (`weft validate tasks`, `weft plan`, `weft run`, `weft init`, `weft migrate`) calls
 * loadRepo/loadTaskFile and prints with formatDiagnostic; the validators reuse the Diagnostic shape and formatter;
 * @weft/dag checks cross-task references (unknown or cross-workstream dependencies, one-sided `blocks`,
 * cycles) on `repo.tasks` — the loader checks each file on its own plus duplicate ids.
 * Dependencies: @weft/core-schema (zod schemas, migrations), jsonc-parser, yaml.
 */

export { checkId, type IdCheckSite, type IdProblem, idDiagnostic, suggestId } from "./check-id.js";
export {
  type Diagnostic,
  type DiagnosticSeverity,
  hasErrors,
  LOADER_DIAGNOSTIC_CODES,
  type LoaderDiagnosticCode,
  sortDiagnostics,
} from "./diagnostic.js";
export {
  type FormatDiagnosticOptions,
  formatDiagnostic,
  formatDiagnostics,
  summarizeDiagnostics,
} from "./format-diagnostic.js";
export {
  type LoadedRepo,
  type LoaderDirent,
  type LoaderFs,
  type LoadRepoOptions,
  type LoadRepoResult,
  listTaskFiles,
  loadRepo,
  loadTaskFile,
  type RepoFile,
  type RepoFileKind,
  type TaskFileEntry,
} from "./load-repo.js";
export type {
  LocatedDocument,
  LocateTarget,
  PathSegment,
  SourcePosition,
  SyntaxProblem,
  SyntaxProblemCode,
} from "./located-document.js";
export { CONFIG_SCHEMA_VERSIONS, type ParsedConfigFile, parseConfigFile } from "./parse-config-file.js";
export { parseDocument, parserFor } from "./parse-document.js";
export { parseJsonLocated } from "./parse-json-located.js";
export { parsePsd1 } from "./parse-psd1.js";
export {
  type ParsedRegistryFile,
  parseRegistryFile,
  REGISTRY_SCHEMA_VERSIONS,
  type RegistryKind,
} from "./parse-registry-file.js";
export { type ParsedTaskFile, parseTaskFile, type TaskFileRef } from "./parse-task-file.js";
export {
  defaultWorkstream,
  type ParsedWorkstreamFile,
  parseWorkstreamFile,
  WORKSTREAM_SCHEMA_VERSIONS,
} from "./parse-workstream-file.js";
export { parseYamlLocated } from "./parse-yaml-located.js";
