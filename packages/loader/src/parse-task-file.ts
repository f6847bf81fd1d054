/**
 * One task file, `tasks/{workstream_id}/{task_id}.json` (TASK-DEF-001/002, SCHEMA-VER-001/002): strict JSON,
 * schema 2.0.0 or 1.0.0 (migrated in memory with the SPEC §12 defaults), file name = task_id, folder =
 * workstream_id. Pure: the caller reads the file.
 */
import {
  CURRENT_TASK_SCHEMA_VERSION,
  migrateTaskV1ToV2,
  TASK_SCHEMA_VERSIONS,
  TaskDefinition,
} from "@weft/core-schema";
import { idDiagnostic } from "./check-id.js";
import type { Diagnostic } from "./diagnostic.js";
import { checkSchemaVersion, DocumentChecker, isPlainObject } from "./internal/document-checker.js";
import type { LocatedDocument, PathSegment } from "./located-document.js";
import { parseJsonLocated } from "./parse-json-located.js";

/** Where a task file is: its repo-relative path and (when it is in one) its workstream folder. */
export interface TaskFileRef {
  /** Repo-relative, `/`-separated: `tasks/ws-001/task-001.json`. */
  readonly file: string;
  /** The folder under tasks/ (`ws-001`); omit to skip the folder check. */
  readonly workstreamFolder?: string;
}

/** A task file read and checked. */
export interface ParsedTaskFile {
  readonly file: string;
  readonly document: LocatedDocument;
  /** The document as written (before migration); `undefined` when it is not readable JSON. */
  readonly raw: unknown;
  /** `schema_version` as written; `undefined` when the field is absent (a 1.0.0 task). */
  readonly declaredVersion: string | undefined;
  /** The known version the file was read as (`1.0.0` or `2.0.0`); `undefined` when it could not be read. */
  readonly readAs: string | undefined;
  /** The task, migrated to 2.0.0 and with defaults applied; `undefined` when the file has schema errors. */
  readonly task: TaskDefinition | undefined;
  /** Every problem found in this file, in file order. */
  readonly issues: Diagnostic[];
}

/** The requirement a problem at `path` of a task belongs to. */
function requirementFor(path: readonly PathSegment[]): string | undefined {
  if (path[0] === "resource_requirements") return "CONC-REG-002";
  if (path[0] === "context_requirements" || path[0] === "validation_rules") return "SCHEMA-VER-002";
  return "TASK-DEF-002";
}

function fileIdOf(file: string): string {
  const base = file.slice(file.lastIndexOf("/") + 1);
  return base.toLowerCase().endsWith(".json") ? base.slice(0, -".json".length) : base;
}

/**
 * Parses and checks the text of one task file. Never throws for bad input. The checks, each with its own code:
 * syntax (LOADER_INVALID_JSON, LOADER_DUPLICATE_KEY), the file name as an id (LOADER_BAD_ID), the schema version
 * (LOADER_UNKNOWN_SCHEMA_VERSION, LOADER_NEWER_SCHEMA_VERSION, LOADER_V1_TASK), fields (LOADER_SCHEMA,
 * LOADER_BAD_ID for ids and dependency ids, LOADER_UNKNOWN_FIELD), and the location (LOADER_FILENAME_MISMATCH,
 * LOADER_FOLDER_MISMATCH).
 */
export function parseTaskFile(source: string, ref: TaskFileRef): ParsedTaskFile {
  const document = parseJsonLocated(source);
  const c = new DocumentChecker(ref.file, document, "TASK-DEF-001");
  const result = (
    raw: unknown,
    declaredVersion: string | undefined,
    readAs: string | undefined,
    task: TaskDefinition | undefined,
  ): ParsedTaskFile => ({
    file: ref.file,
    document,
    raw,
    declaredVersion,
    readAs,
    task,
    issues: c.issues.sort((a, b) => a.line - b.line || a.column - b.column),
  });

  const fileId = fileIdOf(ref.file);
  const badName = idDiagnostic(fileId, {
    label: "task file name",
    file: ref.file,
    line: 1,
    column: 1,
    requirement: "TASK-DEF-001",
  });
  if (badName) c.issues.push({ ...badName, hint: `rename the file: ${badName.hint}` });

  if (!c.reportSyntax()) return result(undefined, undefined, undefined, undefined);
  const raw = document.value;
  if (!isPlainObject(raw)) {
    c.report(
      "error",
      "LOADER_SCHEMA",
      [],
      `a task file holds one JSON object, found ${Array.isArray(raw) ? "a list" : JSON.stringify(raw)}`,
      'write the task as { "schema_version": "2.0.0", "task_id": …, "workstream_id": …, … }',
    );
    return result(raw, undefined, undefined, undefined);
  }

  // Location: the file name is the task_id, the folder the workstream_id (checked even when other fields fail).
  const taskId = raw.task_id;
  if (typeof taskId === "string" && !badName && taskId !== fileId) {
    const dir = ref.file.slice(0, ref.file.lastIndexOf("/") + 1);
    const caseOnly = taskId.toLowerCase() === fileId.toLowerCase();
    c.report(
      "error",
      "LOADER_FILENAME_MISMATCH",
      ["task_id"],
      `task_id "${taskId}" differs from the file name "${fileId}.json"${caseOnly ? " (letter case)" : ""}`,
      `rename the file to ${dir}${taskId}.json, or set "task_id": "${fileId}"`,
    );
  }
  const wsId = raw.workstream_id;
  if (ref.workstreamFolder !== undefined && typeof wsId === "string" && wsId !== ref.workstreamFolder) {
    const name = ref.file.slice(ref.file.lastIndexOf("/") + 1);
    c.report(
      "error",
      "LOADER_FOLDER_MISMATCH",
      ["workstream_id"],
      `workstream_id "${wsId}" differs from the folder "tasks/${ref.workstreamFolder}/" the task is in`,
      `move the file to tasks/${wsId}/${name}, or set "workstream_id": "${ref.workstreamFolder}"`,
    );
  }

  const version = checkSchemaVersion(c, raw, TASK_SCHEMA_VERSIONS, "1.0.0", CURRENT_TASK_SCHEMA_VERSION);
  if (version.readAs === undefined) return result(raw, version.declared, undefined, undefined);

  let input: Record<string, unknown>;
  if (version.readAs === "1.0.0") {
    const type = typeof raw.type === "string" ? ` for "${raw.type}" tasks` : "";
    c.report(
      "warning",
      "LOADER_V1_TASK",
      version.declared === undefined ? [] : ["schema_version"],
      `task uses schema 1.0.0${version.declared === undefined ? " (it has no schema_version)" : ""}; it was migrated to 2.0.0 in memory with the SPEC §12 defaults${type}`,
      "run `weft migrate` to rewrite 1.0.0 task files as 2.0.0 (it keeps a backup under tasks/.backups/)",
      { requirement: "SCHEMA-VER-002" },
    );
    const { schema_version: _drop, ...rest } = raw;
    input = migrateTaskV1ToV2(rest);
  } else {
    input = version.declared === version.readAs ? raw : { ...raw, schema_version: version.readAs };
  }
  const task = c.validate(TaskDefinition, input, { requirementFor });
  // Fields migration added cannot be wrong, so every issue path exists in the file as written.
  return result(raw, version.declared, version.readAs, task);
}
