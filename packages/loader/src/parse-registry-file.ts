/**
 * `capabilities/registry.(json|yaml|psd1)` (CAP-REG-001) and `capabilities/resources.(json|yaml|psd1)`
 * (CONC-REG-001). The spec's form is a top-level list of entries (`@( @{ … }, … )` in .psd1); the versioned form
 * `{ schema_version, Capabilities: [ … ] }` (or `Resources`) and a single entry are read too. Pure.
 */
import { CapabilityEntry, ResourceEntry } from "@weft/core-schema";
import type { Diagnostic } from "./diagnostic.js";
import {
  checkSchemaVersion,
  DocumentChecker,
  isPlainObject,
  type SchemaLike,
} from "./internal/document-checker.js";
import { canonicalizeKeyCase, schemaNodeOf } from "./internal/schema-walk.js";
import { displayPath, literal } from "./internal/zod-issues.js";
import type { LocatedDocument, PathSegment } from "./located-document.js";
import { parseDocument } from "./parse-document.js";

export type RegistryKind = "capabilities" | "resources";

/** Schema versions of the versioned registry form this weft reads. */
export const REGISTRY_SCHEMA_VERSIONS = ["1.0.0"] as const;

interface KindInfo {
  readonly schema: SchemaLike<CapabilityEntry | ResourceEntry>;
  readonly listKey: string;
  readonly idField: "CapabilityId" | "ResourceId";
  readonly requirement: string;
}

const KINDS: Record<RegistryKind, KindInfo> = {
  capabilities: {
    schema: CapabilityEntry,
    listKey: "Capabilities",
    idField: "CapabilityId",
    requirement: "CAP-REG-001",
  },
  resources: {
    schema: ResourceEntry,
    listKey: "Resources",
    idField: "ResourceId",
    requirement: "CONC-REG-001",
  },
};

/** A registry file read and checked. */
export interface ParsedRegistryFile<T> {
  readonly file: string;
  readonly document: LocatedDocument;
  /** The valid entries, with defaults, in file order (an invalid entry is left out and reported). */
  readonly entries: T[];
  readonly issues: Diagnostic[];
}

export function parseRegistryFile(
  source: string,
  ref: { file: string; kind: "capabilities" },
): ParsedRegistryFile<CapabilityEntry>;
export function parseRegistryFile(
  source: string,
  ref: { file: string; kind: "resources" },
): ParsedRegistryFile<ResourceEntry>;
/**
 * Parses and checks a registry in the format its extension names. Entry ids must be unique (LOADER_DUPLICATE_ID;
 * ids differing only in case: LOADER_ID_CASE_COLLISION). In `.psd1` files keys are case-insensitive, as in
 * PowerShell. Never throws for bad input.
 */
export function parseRegistryFile(
  source: string,
  ref: { file: string; kind: RegistryKind },
): ParsedRegistryFile<CapabilityEntry | ResourceEntry> {
  const info = KINDS[ref.kind];
  const document = parseDocument(source, ref.file);
  const c = new DocumentChecker(ref.file, document, info.requirement);
  const entries: (CapabilityEntry | ResourceEntry)[] = [];
  const done = () => ({
    file: ref.file,
    document,
    entries,
    issues: c.issues.sort((a, b) => a.line - b.line || a.column - b.column),
  });
  if (!c.reportSyntax()) return done();
  const format = document.format;
  const entryNode = schemaNodeOf(info.schema);
  let list: unknown[];
  let base: PathSegment[];
  const raw = document.value;
  if (Array.isArray(raw)) {
    list = raw;
    base = [];
  } else if (isPlainObject(raw) && Object.hasOwn(raw, info.idField)) {
    list = [raw];
    base = [];
  } else if (isPlainObject(raw)) {
    const key = Object.keys(raw).find((k) => k.toLowerCase() === info.listKey.toLowerCase());
    if (key === undefined || !Array.isArray(raw[key])) {
      c.report(
        "error",
        "LOADER_SCHEMA",
        key === undefined ? [] : [key],
        key === undefined
          ? `expected a list of ${ref.kind} entries, or an object with "${info.listKey}": [ … ]`
          : `${info.listKey} must be a list of entries`,
        format === "psd1"
          ? `write the entries as @( @{ ${info.idField} = '…'; … }, … )`
          : `write the entries as a list: [ { "${info.idField}": "…", … } ]`,
      );
      return done();
    }
    const version = checkSchemaVersion(c, raw, REGISTRY_SCHEMA_VERSIONS, "1.0.0", "1.0.0");
    if (version.readAs === undefined) return done();
    for (const k of Object.keys(raw)) {
      if (k === key || k === "schema_version" || k === "schema_url") continue;
      c.report(
        "warning",
        "LOADER_UNKNOWN_FIELD",
        [k],
        `unknown field "${k}" (ignored)`,
        `remove it; entries go in ${info.listKey}`,
        {
          target: "key",
        },
      );
    }
    list = raw[key] as unknown[];
    base = [key];
  } else {
    c.report(
      "error",
      "LOADER_SCHEMA",
      [],
      `expected a list of ${ref.kind} entries, found ${JSON.stringify(raw)}`,
      format === "psd1"
        ? `write @( @{ ${info.idField} = '…'; … } )`
        : `write [ { "${info.idField}": "…", … } ]`,
    );
    return done();
  }
  const single = base.length === 0 && !Array.isArray(raw);
  const label = (i: number, id: unknown) => {
    const entryName = `entry ${i + 1}${typeof id === "string" ? ` (${literal(id, format)})` : ""}`;
    return (p: readonly PathSegment[]) =>
      single ? displayPath(p) : p.length === 0 ? entryName : `${displayPath(p)} of ${entryName}`;
  };
  const seen = new Map<string, { id: string; path: PathSegment[] }>();
  list.forEach((item, i) => {
    const at: PathSegment[] = single ? [] : [...base, i];
    const value = format === "psd1" ? canonicalizeKeyCase(item, entryNode) : item;
    const id = isPlainObject(value) ? value[info.idField] : undefined;
    const entry = c.validate(info.schema, value, { base: at, label: label(i, id), node: entryNode });
    if (typeof id === "string") {
      const previous = seen.get(id.toLowerCase());
      if (previous) {
        const where = document.locate(previous.path);
        const exact = previous.id === id;
        c.report(
          exact ? "error" : "warning",
          exact ? "LOADER_DUPLICATE_ID" : "LOADER_ID_CASE_COLLISION",
          [...at, info.idField],
          exact
            ? `${info.idField} ${literal(id, format)} is defined twice (first at line ${where.line}, column ${where.column})`
            : `${info.idField} ${literal(id, format)} differs only in letter case from ${literal(previous.id, format)} (line ${where.line})`,
          exact ? "give one of the two entries another id, or merge them" : "use one spelling for both",
        );
        if (exact) return;
      } else seen.set(id.toLowerCase(), { id, path: [...at, info.idField] });
    }
    if (entry) entries.push(entry);
  });
  return done();
}
