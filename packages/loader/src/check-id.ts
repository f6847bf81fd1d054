/**
 * Id checks (SPEC §1): task, workstream, worker, resource and capability ids must match
 * `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$` because they become file and branch names.
 */
import { isValidId } from "@weft/core-schema";
import type { Diagnostic, DiagnosticSeverity } from "./diagnostic.js";
import type { PathSegment } from "./located-document.js";

/** Why an id is invalid, and a valid id close to it (when one can be derived). */
export interface IdProblem {
  readonly reason: string;
  readonly suggestion: string | undefined;
}

function describeChar(c: string): string {
  if (c === " ") return "a space";
  if (c === "\0") return "a NUL character";
  if (c === "\t") return "a tab";
  if (c === "\n" || c === "\r") return "a line break";
  const code = c.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f)
    return `a control character (U+${code.toString(16).toUpperCase().padStart(4, "0")})`;
  if (code > 0x7e) return `'${c}' (only ASCII letters and digits are allowed)`;
  return `'${c}'`;
}

/** A valid id derived from `value` (invalid characters become '-'), or `undefined` when none is left. */
export function suggestId(value: string): string | undefined {
  const s = value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .replace(/-+$/, "")
    .slice(0, 128);
  return isValidId(s) ? s : undefined;
}

/** Checks one id. Returns `undefined` when it is valid (SPEC §1), else why not. Pure. */
export function checkId(value: string): IdProblem | undefined {
  const valid: boolean = isValidId(value); // (not used as a type guard: `value` stays a string below)
  if (valid) return undefined;
  let reason: string;
  if (value.length === 0) reason = "it is empty";
  else if (value === "." || value === "..") reason = `'${value}' is a path, not a name`;
  else {
    const bad = [...new Set([...value].filter((c) => !/[A-Za-z0-9._-]/.test(c)))];
    if (bad.length > 0) reason = `it contains ${bad.slice(0, 3).map(describeChar).join(", ")}`;
    else if (!/^[A-Za-z0-9]/.test(value))
      reason = `it starts with '${value[0]}' (it must start with a letter or digit)`;
    else reason = `it is ${value.length} characters long (at most 128)`;
  }
  return { reason, suggestion: suggestId(value) };
}

/** The standard hint for an invalid id. */
export function idHint(suggestion: string | undefined): string {
  const rule =
    "ids use ASCII letters, digits, '.', '_' and '-', start with a letter or digit and have at most 128 characters (SPEC §1)";
  return suggestion ? `${rule}; for example "${suggestion}"` : rule;
}

/** Where an id was found and what it is, for {@link idDiagnostic}. */
export interface IdCheckSite {
  /** What the id names, as the user sees it: `task_id`, `workstream folder`, `dependencies[0]`, `CapabilityId` … */
  readonly label: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly requirement?: string;
  readonly severity?: DiagnosticSeverity;
  readonly path?: readonly PathSegment[];
}

/** Builds the `LOADER_BAD_ID` diagnostic for `value`, or `undefined` when the id is valid. */
export function idDiagnostic(value: string, site: IdCheckSite): Diagnostic | undefined {
  const problem = checkId(value);
  if (!problem) return undefined;
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return {
    severity: site.severity ?? "error",
    code: "LOADER_BAD_ID",
    requirement: site.requirement ?? "TASK-DEF-001",
    file: site.file,
    line: site.line,
    column: site.column,
    message: `${site.label} ${JSON.stringify(shown)} is not a valid id: ${problem.reason}`,
    hint: idHint(problem.suggestion),
    ...(site.path ? { path: site.path } : {}),
  };
}
