import type { Diagnostic, DiagnosticSeverity, LoaderDiagnosticCode } from "../diagnostic.js";
import type { LocatedDocument, LocateTarget, PathSegment } from "../located-document.js";
import { findUnknownFields, type SchemaNode, schemaNodeOf } from "./schema-walk.js";
import { describeZodIssue, displayPath, type ZodIssueLike } from "./zod-issues.js";

/** A zod schema, structurally (the loader calls only safeParse). */
export interface SchemaLike<T> {
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly ZodIssueLike[] } };
}

/** Collects the diagnostics of one file, resolving value paths to positions in its document. */
export class DocumentChecker {
  readonly issues: Diagnostic[] = [];

  constructor(
    readonly file: string,
    readonly doc: LocatedDocument,
    /** The requirement reported unless a check names another. */
    readonly requirement: string,
  ) {}

  report(
    severity: DiagnosticSeverity,
    code: LoaderDiagnosticCode,
    path: readonly PathSegment[] | undefined,
    message: string,
    hint: string,
    options: { target?: LocateTarget; requirement?: string } = {},
  ): void {
    const at = path ? this.doc.locate(path, options.target ?? "value") : { line: 1, column: 1 };
    this.issues.push({
      severity,
      code,
      requirement: options.requirement ?? this.requirement,
      file: this.file,
      line: at.line,
      column: at.column,
      message,
      hint,
      ...(path && path.length > 0 ? { path: [...path] } : {}),
    });
  }

  /** Reports the parser's syntax problems; returns `true` when the document has a usable value. */
  reportSyntax(): boolean {
    for (const p of this.doc.problems) {
      this.issues.push({
        severity: "error",
        code: p.code,
        requirement: this.requirement,
        file: this.file,
        line: p.position.line,
        column: p.position.column,
        message: p.message,
        hint: p.hint,
      });
    }
    return this.doc.ok;
  }

  get hasErrors(): boolean {
    return this.issues.some((d) => d.severity === "error");
  }

  /**
   * Validates `value` (a value inside this document, found at `base`) against `schema`: unknown fields are
   * warnings, schema violations errors at the offending key/value. Returns the parsed data, or `undefined`.
   */
  validate<T>(
    schema: SchemaLike<T>,
    value: unknown,
    options: {
      base?: readonly PathSegment[];
      /** Where loose objects (that keep extra fields) still get unknown-field warnings. */
      checkLoose?: (path: readonly PathSegment[]) => boolean;
      label?: (path: readonly PathSegment[]) => string;
      requirementFor?: (path: readonly PathSegment[]) => string | undefined;
      node?: SchemaNode;
    } = {},
  ): T | undefined {
    const base = options.base ?? [];
    const label = options.label ?? displayPath;
    const node = options.node ?? schemaNodeOf(schema);
    for (const u of findUnknownFields(value, node, options.checkLoose ?? ((p) => p.length === 0))) {
      const parent = u.path.slice(0, -1);
      const where = parent.length > 0 ? ` in ${label(parent)}` : "";
      this.report(
        "warning",
        "LOADER_UNKNOWN_FIELD",
        [...base, ...u.path],
        `unknown field "${u.key}"${where} (ignored)`,
        u.suggestion
          ? `did you mean "${u.suggestion}"?`
          : "remove it, or check its spelling against the schema in schemas/",
        { target: "key", requirement: options.requirementFor?.(u.path) ?? this.requirement },
      );
    }
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const d = describeZodIssue(issue, value, this.doc.format, label);
      this.report("error", d.code, [...base, ...d.path], d.message, d.hint, {
        target: d.target,
        requirement: options.requirementFor?.(d.path) ?? this.requirement,
      });
    }
    return undefined;
  }
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.-]+)?$/;

/** What {@link checkSchemaVersion} decided. */
export interface VersionDecision {
  /** The version as written (`undefined`: no schema_version field). */
  readonly declared: string | undefined;
  /** The known version to read the document as; `undefined` when it cannot be read. */
  readonly readAs: string | undefined;
}

/**
 * SCHEMA-VER-001: patch = compatible, minor = new optional fields, major = breaking. A newer patch or minor of a
 * known major is read as that known version (a newer minor with a warning: its new fields are ignored); another
 * major is an error. `absent` is the version assumed when the field is missing.
 */
export function checkSchemaVersion(
  checker: DocumentChecker,
  raw: Record<string, unknown>,
  known: readonly string[],
  absent: string,
  example: string,
): VersionDecision {
  if (!Object.hasOwn(raw, "schema_version") || raw.schema_version === undefined) {
    return { declared: undefined, readAs: absent };
  }
  const v = raw.schema_version;
  const path = ["schema_version"];
  const req = { requirement: "SCHEMA-VER-001" };
  const fix =
    checker.doc.format === "psd1" ? `schema_version = '${example}'` : `"schema_version": "${example}"`;
  if (typeof v !== "string") {
    checker.report(
      "error",
      "LOADER_SCHEMA",
      path,
      `schema_version must be a string such as "${example}", found ${JSON.stringify(v)}`,
      `write ${fix}`,
      req,
    );
    return { declared: undefined, readAs: undefined };
  }
  if (known.includes(v)) return { declared: v, readAs: v };
  const m = SEMVER.exec(v);
  const list = known.join(", ");
  if (!m) {
    checker.report(
      "error",
      "LOADER_UNKNOWN_SCHEMA_VERSION",
      path,
      `schema_version "${v}" is not a version (expected MAJOR.MINOR.PATCH: ${list})`,
      `write ${fix}`,
      req,
    );
    return { declared: v, readAs: undefined };
  }
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const sameMajor = known
    .map((k) => SEMVER.exec(k)!)
    .filter((k) => Number(k[1]) === major)
    .map((k) => ({ v: k[0], minor: Number(k[2]), patch: Number(k[3]) }))
    .sort((a, b) => b.minor - a.minor || b.patch - a.patch)[0];
  if (sameMajor && (minor > sameMajor.minor || (minor === sameMajor.minor && patch >= sameMajor.patch))) {
    if (minor > sameMajor.minor) {
      checker.report(
        "warning",
        "LOADER_NEWER_SCHEMA_VERSION",
        path,
        `schema_version "${v}" is newer than ${sameMajor.v}, the newest this weft reads; it is read as ${sameMajor.v} and fields added since are ignored`,
        "upgrade weft to use the newer fields",
        req,
      );
    }
    return { declared: v, readAs: sameMajor.v };
  }
  checker.report(
    "error",
    "LOADER_UNKNOWN_SCHEMA_VERSION",
    path,
    `schema_version "${v}" is not one this weft reads (${list})`,
    sameMajor || major < Number(SEMVER.exec(known.at(-1)!)![1])
      ? `write ${fix}`
      : `upgrade weft to read schema ${v}, or write the document in schema ${example}`,
    req,
  );
  return { declared: v, readAs: undefined };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
