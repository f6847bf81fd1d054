/** `tasks/{workstream_id}/_workstream.json` (SPEC §5, SM-DEF-002). Pure: the caller reads the file. */
import { WorkstreamDefinition } from "@weft/core-schema";
import type { Diagnostic } from "./diagnostic.js";
import { checkSchemaVersion, DocumentChecker, isPlainObject } from "./internal/document-checker.js";
import { parseJsonLocated } from "./parse-json-located.js";

/** Schema versions of `_workstream.json` this weft reads. */
export const WORKSTREAM_SCHEMA_VERSIONS = ["1.0.0"] as const;

/** A `_workstream.json` read and checked. */
export interface ParsedWorkstreamFile {
  readonly file: string;
  /** The definition with defaults; `undefined` when the file has errors. */
  readonly workstream: WorkstreamDefinition | undefined;
  readonly issues: Diagnostic[];
}

/** The definition a workstream folder without `_workstream.json` gets (every default of SPEC §5). */
export function defaultWorkstream(workstreamId: string): WorkstreamDefinition {
  return WorkstreamDefinition.parse({ workstream_id: workstreamId });
}

/**
 * Parses and checks `_workstream.json`. `workstream_id` defaults to the folder; when given it must equal the folder
 * (LOADER_FOLDER_MISMATCH). Never throws for bad input.
 */
export function parseWorkstreamFile(
  source: string,
  ref: { file: string; workstreamFolder: string },
): ParsedWorkstreamFile {
  const doc = parseJsonLocated(source);
  const c = new DocumentChecker(ref.file, doc, "SM-DEF-002");
  const done = (workstream: WorkstreamDefinition | undefined): ParsedWorkstreamFile => ({
    file: ref.file,
    workstream,
    issues: c.issues.sort((a, b) => a.line - b.line || a.column - b.column),
  });
  if (!c.reportSyntax()) return done(undefined);
  const raw = doc.value;
  if (!isPlainObject(raw)) {
    c.report(
      "error",
      "LOADER_SCHEMA",
      [],
      `_workstream.json holds one JSON object, found ${Array.isArray(raw) ? "a list" : JSON.stringify(raw)}`,
      `write { "workstream_id": "${ref.workstreamFolder}", "depends_on": [] } (every field is optional)`,
    );
    return done(undefined);
  }
  const id = raw.workstream_id;
  if (typeof id === "string" && id !== ref.workstreamFolder) {
    c.report(
      "error",
      "LOADER_FOLDER_MISMATCH",
      ["workstream_id"],
      `workstream_id "${id}" differs from its folder "tasks/${ref.workstreamFolder}/"`,
      `rename the folder to tasks/${id}/, or set "workstream_id": "${ref.workstreamFolder}"`,
    );
  }
  const version = checkSchemaVersion(c, raw, WORKSTREAM_SCHEMA_VERSIONS, "1.0.0", "1.0.0");
  if (version.readAs === undefined) return done(undefined);
  const input: Record<string, unknown> = { ...raw, schema_version: version.readAs };
  if (input.workstream_id === undefined) input.workstream_id = ref.workstreamFolder;
  const ws = c.validate(WorkstreamDefinition, input);
  return done(c.hasErrors ? undefined : ws);
}
