/**
 * Turns zod issues into what a person needs: which value, what is wrong with it (in the words of the file's
 * format), and a concrete fix. Positions are resolved by the caller from `path` and `target`.
 */
import { ID_PATTERN } from "@weft/core-schema";
import { checkId, idHint } from "../check-id.js";
import type { LocatedDocument, LocateTarget, PathSegment } from "../located-document.js";
import { closest } from "./suggest.js";

/** The parts of a zod 4 issue the loader reads (structural, so the loader needs no zod import). */
export interface ZodIssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: string;
  readonly values?: readonly unknown[];
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly inclusive?: boolean;
  readonly origin?: string;
  readonly format?: string;
  readonly pattern?: string;
  readonly keys?: readonly string[];
  readonly errors?: readonly (readonly ZodIssueLike[])[];
  readonly issues?: readonly ZodIssueLike[];
}

export interface DescribedIssue {
  readonly code: "LOADER_SCHEMA" | "LOADER_BAD_ID" | "LOADER_UNKNOWN_FIELD";
  readonly path: PathSegment[];
  readonly target: LocateTarget;
  readonly message: string;
  readonly hint: string;
}

type Format = LocatedDocument["format"];

function toPath(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((p) => (typeof p === "number" ? p : String(p)));
}

/** `execution.timeout_seconds`, `dependencies[1]`, `[0].CapabilityId`. */
export function displayPath(path: readonly PathSegment[]): string {
  let s = "";
  for (const p of path) s += typeof p === "number" ? `[${p}]` : s === "" ? p : `.${p}`;
  return s === "" ? "the document" : s;
}

function getAt(root: unknown, path: readonly PathSegment[]): { found: boolean; value: unknown } {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, p))
      return { found: false, value: undefined };
    v = (v as Record<PathSegment, unknown>)[p];
  }
  return { found: true, value: v };
}

/** A value written in the syntax of the file it belongs in. */
export function literal(value: unknown, format: Format): string {
  if (format === "psd1") {
    if (value === null) return "$null";
    if (value === true) return "$true";
    if (value === false) return "$false";
    if (typeof value === "string") return `'${value.replace(/'/g, "''")}'`;
    if (Array.isArray(value)) return `@(${value.map((v) => literal(v, format)).join(", ")})`;
    if (typeof value === "object") return "@{ … }";
    return String(value);
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, format)).join(", ")}]`;
  if (value !== null && typeof value === "object") return "{ … }";
  return JSON.stringify(value) ?? String(value);
}

function short(value: unknown, format: Format): string {
  const s = literal(value, format);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function describeValue(value: unknown, format: Format): string {
  if (value === null) return format === "psd1" ? "$null" : "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return format === "psd1" ? "a hashtable" : "an object";
  if (typeof value === "string") return `the string ${short(value, format)}`;
  if (typeof value === "boolean") return literal(value, format);
  return `the ${typeof value} ${short(value, format)}`;
}

function expectedName(expected: string | undefined, format: Format): string {
  switch (expected) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "int":
      return "a whole number";
    case "boolean":
      return format === "psd1" ? "$true or $false" : "true or false";
    case "array":
      return "a list";
    case "object":
    case "record":
      return format === "psd1" ? "a hashtable @{ … }" : "an object";
    case "null":
      return format === "psd1" ? "$null" : "null";
    default:
      return expected ? `a ${expected}` : "a different value";
  }
}

function exampleFor(issue: ZodIssueLike, format: Format): string {
  if (issue.code === "invalid_value" && issue.values?.length) return literal(issue.values[0], format);
  switch (issue.expected) {
    case "string":
      return literal("…", format);
    case "number":
    case "int":
      return "1";
    case "boolean":
      return literal(true, format);
    case "array":
      return format === "psd1" ? "@()" : "[]";
    case "object":
    case "record":
      return format === "psd1" ? "@{}" : "{}";
    default:
      return literal("…", format);
  }
}

function entry(key: string, value: string, format: Format): string {
  if (format === "psd1") return `${key} = ${value}`;
  if (format === "yaml") return `${key}: ${value}`;
  return `"${key}": ${value}`;
}

function typeHint(expected: string | undefined, value: unknown, format: Format): string {
  if ((expected === "number" || expected === "int") && typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    if (Number.isFinite(n)) return `write the number without quotes: ${value.trim()}`;
  }
  if (expected === "boolean" && typeof value === "string") {
    const t = /^(true|yes|on|1)$/i.test(value) ? true : /^(false|no|off|0)$/i.test(value) ? false : undefined;
    if (t !== undefined) return `write ${literal(t, format)} without quotes`;
    return `use ${expectedName("boolean", format)}`;
  }
  if (expected === "array" && (typeof value === "string" || typeof value === "number")) {
    return `write it as a list: ${literal([value], format)}`;
  }
  if (expected === "string" && (typeof value === "number" || typeof value === "boolean")) {
    return `quote it: ${literal(String(value), format)}`;
  }
  if (expected === "int" && typeof value === "number")
    return `use a whole number such as ${Math.round(value)}`;
  return `use ${expectedName(expected, format)}`;
}

const FORMAT_EXAMPLES: readonly [RegExp, string][] = [
  [/semantic version/, '"1.0.0" (MAJOR.MINOR.PATCH)'],
  [/ISO-8601/, '"2026-01-31T12:00:00.000Z"'],
  [/per second, minute or hour|'10\/minute'/, "'10/minute' (n per second, minute or hour)"],
];

/** Hints for the cross-field rules core-schema states as custom issues. */
function customHint(path: readonly PathSegment[], message: string, format: Format): string {
  const last = path[path.length - 1];
  if (last === "command") return `set ${entry("command", literal("npm test", format), format)} in execution`;
  if (/depend on itself/.test(message)) return "remove the task's own id from dependencies";
  if (last === "RefillRate") return `add ${entry("RefillRate", literal("10/minute", format), format)}`;
  if (last === "MaxHolders" && /exclusive/.test(message))
    return `set ${entry("MaxHolders", "1", format)}, or use Type ${literal("shared", format)} for several holders`;
  if (last === "MaxHolders") return "use a positive number, or -1 for unlimited";
  return "change the value so that the rule above holds";
}

function unionExpectation(issue: ZodIssueLike, format: Format): { text: string; literals: string[] } {
  const parts: string[] = [];
  const literals: string[] = [];
  for (const branch of issue.errors ?? []) {
    const first = branch[0];
    if (!first) continue;
    if (first.code === "invalid_value" && first.values) {
      for (const v of first.values) {
        parts.push(literal(v, format));
        if (typeof v === "string") literals.push(v);
      }
    } else if (first.code === "invalid_type") {
      parts.push(expectedName(first.expected, format));
    } else if (first.code === "too_small" && first.origin === "number") {
      parts.push(`a number ${first.inclusive ? ">=" : ">"} ${first.minimum}`);
    } else if (first.code === "invalid_format") {
      parts.push(`a string that ${first.message.replace(/^must /, "must ")}`);
    }
  }
  const uniq = [...new Set(parts)];
  const text =
    uniq.length <= 1 ? (uniq[0] ?? "a different value") : `${uniq.slice(0, -1).join(", ")} or ${uniq.at(-1)}`;
  return { text, literals };
}

/** Describes one zod issue against the parsed document `root`. */
export function describeZodIssue(
  issue: ZodIssueLike,
  root: unknown,
  format: Format,
  label: (path: readonly PathSegment[]) => string = displayPath,
): DescribedIssue {
  const path = toPath(issue.path);
  const name = label(path);
  const { found, value } = getAt(root, path);
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1];
  const schema = (message: string, hint: string, target: LocateTarget = "value"): DescribedIssue => ({
    code: "LOADER_SCHEMA",
    path,
    target,
    message,
    hint,
  });

  // A required field that is absent: point at the enclosing object.
  if (
    !found &&
    typeof key === "string" &&
    (issue.code === "invalid_type" || issue.code === "invalid_value")
  ) {
    const parent = getAt(root, parentPath).value;
    const siblings = parent && typeof parent === "object" ? Object.keys(parent) : [];
    const typo = closest(
      key,
      siblings.filter((s) => s !== key),
    );
    return {
      code: "LOADER_SCHEMA",
      path: parentPath,
      target: "value",
      message: `missing required field "${key}"${parentPath.length > 0 ? ` in ${label(parentPath)}` : ""}`,
      hint: typo
        ? `did you mean to name the field "${typo}" as "${key}"? Otherwise add ${entry(key, exampleFor(issue, format), format)}`
        : `add ${entry(key, exampleFor(issue, format), format)}`,
    };
  }

  switch (issue.code) {
    case "invalid_type": {
      if (path.length === 0) {
        return schema(
          `expected ${expectedName(issue.expected, format)} at the top level, found ${describeValue(value, format)}`,
          issue.expected === "array"
            ? format === "psd1"
              ? "write the entries as @( @{ … }, @{ … } )"
              : "write the entries as a list: [ { … }, { … } ]"
            : format === "psd1"
              ? "write the document as one hashtable @{ … }"
              : "write the document as one object { … }",
        );
      }
      return schema(
        `${name} must be ${expectedName(issue.expected, format)}, found ${describeValue(value, format)}`,
        typeHint(issue.expected, value, format),
      );
    }
    case "invalid_value": {
      const values = (issue.values ?? []).map((v) => literal(v, format));
      const guess = typeof value === "string" ? closest(value, (issue.values ?? []).map(String)) : undefined;
      const allowed = values.length === 1 ? values[0]! : `one of ${values.join(", ")}`;
      return schema(
        `${name} must be ${allowed}, found ${describeValue(value, format)}`,
        guess ? `did you mean ${literal(guess, format)}?` : `use ${allowed}`,
      );
    }
    case "invalid_format": {
      if (issue.format === "regex" && issue.pattern === String(ID_PATTERN) && typeof value === "string") {
        const p = checkId(value);
        return {
          code: "LOADER_BAD_ID",
          path,
          target: "value",
          message: `${name} ${short(value, format)} is not a valid id: ${p?.reason ?? "it does not match the id pattern"}`,
          hint: idHint(p?.suggestion),
        };
      }
      const example = FORMAT_EXAMPLES.find(([re]) => re.test(issue.message));
      return schema(
        `${name} ${issue.message}, found ${describeValue(value, format)}`,
        example ? `write it like ${example[1]}` : `change ${name} so that it ${issue.message}`,
      );
    }
    case "too_small":
    case "too_big": {
      const small = issue.code === "too_small";
      const bound = small ? issue.minimum : issue.maximum;
      if (issue.origin === "string" && small && Number(bound) === 1) {
        return schema(
          `${name} must not be empty`,
          `write a non-empty string, e.g. ${entry(String(key ?? "value"), literal("…", format), format)}`,
        );
      }
      if (issue.origin === "array" || issue.origin === "string") {
        const unit = issue.origin === "array" ? "items" : "characters";
        return schema(
          `${name} must have ${small ? "at least" : "at most"} ${bound} ${unit}`,
          small ? `add ${unit}` : `remove ${unit}`,
        );
      }
      const op = small ? (issue.inclusive ? ">=" : ">") : issue.inclusive ? "<=" : "<";
      return schema(
        `${name} must be ${op} ${bound}, found ${describeValue(value, format)}`,
        `use a value ${op} ${bound}`,
      );
    }
    case "invalid_union": {
      const { text, literals } = unionExpectation(issue, format);
      const guess = typeof value === "string" && literals.length ? closest(value, literals) : undefined;
      return schema(
        `${name} must be ${text}, found ${describeValue(value, format)}`,
        guess ? `did you mean ${literal(guess, format)}?` : `use ${text}`,
      );
    }
    case "invalid_key": {
      const inner = issue.issues?.[0];
      if (
        inner?.code === "invalid_format" &&
        inner.pattern === String(ID_PATTERN) &&
        typeof key === "string"
      ) {
        const p = checkId(key);
        return {
          code: "LOADER_BAD_ID",
          path,
          target: "key",
          message: `key ${literal(key, format)} in ${label(parentPath)} is not a valid id: ${p?.reason ?? "it does not match the id pattern"}`,
          hint: idHint(p?.suggestion),
        };
      }
      return schema(
        `key ${literal(String(key), format)} in ${label(parentPath)} is not allowed: ${inner?.message ?? issue.message}`,
        "rename or remove the key",
        "key",
      );
    }
    case "unrecognized_keys": {
      const k = issue.keys?.[0] ?? "";
      return {
        code: "LOADER_UNKNOWN_FIELD",
        path: [...path, k],
        target: "key",
        message: `unknown field${(issue.keys?.length ?? 0) > 1 ? "s" : ""} ${(issue.keys ?? []).join(", ")} in ${name}`,
        hint: "remove the field, or check its spelling",
      };
    }
    case "custom":
      return schema(`${name}: ${issue.message}`, customHint(path, issue.message, format));
    default:
      return schema(`${name}: ${issue.message}`, "change the value so that the rule above holds");
  }
}
