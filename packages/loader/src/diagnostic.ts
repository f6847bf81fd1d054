/**
 * What the loader reports: one {@link Diagnostic} per problem, each with a permanent code, the requirement it
 * enforces, the place (`file:line:column`), what is wrong and a concrete fix.
 */
import type { PathSegment } from "./located-document.js";

export type DiagnosticSeverity = "error" | "warning";

/**
 * Permanent loader diagnostic codes and what each means (names never change once released; they belong in
 * `docs/errors.md`).
 */
export const LOADER_DIAGNOSTIC_CODES = {
  LOADER_NOT_A_REPO: "The directory has no tasks/ folder; run `weft init` first.",
  LOADER_READ_FAILED: "A repo file could not be read.",
  LOADER_INVALID_JSON: "A .json file is not strict JSON (syntax error, truncated, comment, trailing comma).",
  LOADER_INVALID_YAML: "A .yaml/.yml file is not valid YAML.",
  LOADER_PSD1_SYNTAX: "A .psd1 file is outside the PowerShell data subset weft reads (or malformed).",
  LOADER_DUPLICATE_KEY: "An object (hashtable) has the same key twice.",
  LOADER_BAD_ID: "An id (task, workstream, dependency, capability, resource) is not valid (SPEC §1).",
  LOADER_FILENAME_MISMATCH: "A task file's name differs from its task_id.",
  LOADER_FOLDER_MISMATCH: "A task or workstream file's folder differs from its workstream_id.",
  LOADER_DUPLICATE_ID: "Two definitions use the same id.",
  LOADER_ID_CASE_COLLISION:
    "Two ids differ only in letter case (they collide on case-insensitive file systems).",
  LOADER_SCHEMA: "A value has the wrong type or is missing, out of range or not one of the allowed values.",
  LOADER_UNKNOWN_SCHEMA_VERSION: "A document declares a schema_version this weft cannot read.",
  LOADER_NEWER_SCHEMA_VERSION:
    "A document declares a newer minor schema_version; fields this weft does not know are ignored.",
  LOADER_V1_TASK:
    "A task uses schema 1.0.0; it was migrated to 2.0.0 in memory (`weft migrate` rewrites it).",
  LOADER_UNKNOWN_FIELD: "A document has a field weft does not know (ignored; often a typo).",
  LOADER_MISPLACED_FILE: "A task file is not at tasks/<workstream_id>/<task_id>.json.",
  LOADER_IGNORED_FILE: "A file under tasks/ that looks like a definition is not read (only .json is).",
  LOADER_AMBIGUOUS_FILE: "Two forms of one registry exist (e.g. registry.json and registry.psd1).",
  LOADER_PATH_ESCAPE: "A symlink under tasks/ or capabilities/ points outside the repository.",
} as const satisfies Record<string, string>;

export type LoaderDiagnosticCode = keyof typeof LOADER_DIAGNOSTIC_CODES;

/** One problem found while loading, with its place and a suggested fix. */
export interface Diagnostic {
  readonly severity: DiagnosticSeverity;
  /** A permanent code (the loader's are {@link LoaderDiagnosticCode}; validators may add their own). */
  readonly code: string;
  /** The SPEC requirement the check enforces, e.g. `TASK-DEF-001`. */
  readonly requirement: string;
  /** Repo-relative path with `/` separators, e.g. `tasks/ws-001/task-001.json`. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
  /** What is wrong. */
  readonly message: string;
  /** A concrete suggested fix. */
  readonly hint: string;
  /** The value the problem is about, as a path inside the document (e.g. `["execution", "timeout_seconds"]`). */
  readonly path?: readonly PathSegment[];
}

/** Orders diagnostics by file, line, column, then errors before warnings, then code. Returns a new array. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1) ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/** True when any diagnostic is an error (then the repo must not be run). */
export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === "error");
}
