/** `weft.config.json`: orchestrator settings (absent → every default). Pure: the caller reads the file. */
import { WeftConfig } from "@weft/core-schema";
import type { Diagnostic } from "./diagnostic.js";
import { checkSchemaVersion, DocumentChecker, isPlainObject } from "./internal/document-checker.js";
import { parseJsonLocated } from "./parse-json-located.js";

/** Schema versions of `weft.config.json` this weft reads. */
export const CONFIG_SCHEMA_VERSIONS = ["1.0.0"] as const;

/** `weft.config.json` read and checked. */
export interface ParsedConfigFile {
  readonly file: string;
  /** The configuration with defaults; `undefined` when the file has errors. */
  readonly config: WeftConfig | undefined;
  readonly issues: Diagnostic[];
}

/**
 * Parses and checks `weft.config.json`. Diagnostics carry requirement `SCHEMA-VER-001` (the spec gives the
 * configuration no requirement of its own). Never throws for bad input.
 */
export function parseConfigFile(
  source: string,
  ref: { file: string } = { file: "weft.config.json" },
): ParsedConfigFile {
  const doc = parseJsonLocated(source);
  const c = new DocumentChecker(ref.file, doc, "SCHEMA-VER-001");
  const done = (config: WeftConfig | undefined): ParsedConfigFile => ({
    file: ref.file,
    config,
    issues: c.issues.sort((a, b) => a.line - b.line || a.column - b.column),
  });
  if (!c.reportSyntax()) return done(undefined);
  const raw = doc.value;
  if (!isPlainObject(raw)) {
    c.report(
      "error",
      "LOADER_SCHEMA",
      [],
      `weft.config.json holds one JSON object, found ${Array.isArray(raw) ? "a list" : JSON.stringify(raw)}`,
      'write { "schema_version": "1.0.0" } (every other setting has a default)',
    );
    return done(undefined);
  }
  const version = checkSchemaVersion(c, raw, CONFIG_SCHEMA_VERSIONS, "1.0.0", "1.0.0");
  if (version.readAs === undefined) return done(undefined);
  const config = c.validate(WeftConfig, { ...raw, schema_version: version.readAs });
  return done(c.hasErrors ? undefined : config);
}
