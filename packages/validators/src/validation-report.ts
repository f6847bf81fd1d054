import { REQUIREMENTS } from "./requirements.js";

/** A violation's level: `error` fails its requirement (FAIL), `warning` is a SHOULD (WARN). */
export type ViolationLevel = "error" | "warning";

/** One problem found by a validator: where (`file:line:column`), what is wrong and how to fix it (COMPLIANCE-001). */
export interface Violation {
  readonly requirement: string;
  readonly level: ViolationLevel;
  /** Path relative to the validated directory, with `/` separators. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly message: string;
  /** A concrete suggested fix. */
  readonly fix: string;
}

/** A requirement that a check could not evaluate (e.g. no `.state/` yet): reported, never failing. */
export interface Skipped {
  readonly requirement: string;
  readonly reason: string;
}

/** What one check returns. */
export interface CheckOutcome {
  readonly violations: readonly Violation[];
  readonly skipped?: readonly Skipped[];
  /** Counts of things looked at, shown with --verbose (e.g. `{ "task files": 12 }`). */
  readonly checked?: Readonly<Record<string, number>>;
}

export type RequirementStatus = "PASS" | "FAIL" | "WARN" | "SKIP";

export interface RequirementResult {
  readonly id: string;
  readonly title: string;
  readonly status: RequirementStatus;
  readonly violations: readonly Violation[];
  /** Why it was skipped (SKIP only). */
  readonly note?: string;
}

/** The result of a validator run; every output format renders this. */
export interface ValidationReport {
  readonly tool: { readonly name: string; readonly version: string };
  /** Absolute path of the validated directory. */
  readonly cwd: string;
  readonly scopes: readonly string[];
  readonly results: readonly RequirementResult[];
  readonly summary: {
    readonly pass: number;
    readonly fail: number;
    readonly warn: number;
    readonly skip: number;
  };
  readonly checked: Readonly<Record<string, number>>;
  readonly duration_ms: number;
  /** 0 all pass (WARN and SKIP included), 1 a requirement failed. Exit 2 never produces a report. */
  readonly exitCode: 0 | 1;
}

function compareViolations(a: Violation, b: Violation): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/**
 * Builds the report from the checks' outcomes (pure): per requirement FAIL when an error violation exists, WARN
 * when only warnings, SKIP when a check skipped it and found nothing, otherwise PASS.
 */
export function computeReport(input: {
  readonly requirementIds: readonly string[];
  readonly outcomes: readonly CheckOutcome[];
  readonly cwd: string;
  readonly scopes: readonly string[];
  readonly tool: { readonly name: string; readonly version: string };
  readonly durationMs: number;
}): ValidationReport {
  const wanted = new Set(input.requirementIds);
  const byReq = new Map<string, Violation[]>();
  const skips = new Map<string, string>();
  const checked: Record<string, number> = {};
  for (const o of input.outcomes) {
    for (const v of o.violations) {
      if (!wanted.has(v.requirement)) continue;
      const list = byReq.get(v.requirement) ?? [];
      list.push(v);
      byReq.set(v.requirement, list);
    }
    for (const s of o.skipped ?? []) if (!skips.has(s.requirement)) skips.set(s.requirement, s.reason);
    for (const [k, n] of Object.entries(o.checked ?? {})) checked[k] = (checked[k] ?? 0) + n;
  }
  const results: RequirementResult[] = [];
  const summary = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const info of REQUIREMENTS) {
    if (!wanted.has(info.id)) continue;
    const violations = (byReq.get(info.id) ?? []).sort(compareViolations);
    const seen = new Set<string>();
    const unique = violations.filter((v) => {
      const key = `${v.file}:${v.line}:${v.column}:${v.level}:${v.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    let status: RequirementStatus;
    if (unique.some((v) => v.level === "error")) status = "FAIL";
    else if (unique.length > 0) status = "WARN";
    else if (skips.has(info.id)) status = "SKIP";
    else status = "PASS";
    summary[status === "PASS" ? "pass" : status === "FAIL" ? "fail" : status === "WARN" ? "warn" : "skip"] +=
      1;
    const note = status === "SKIP" ? skips.get(info.id) : undefined;
    results.push({
      id: info.id,
      title: info.title,
      status,
      violations: unique,
      ...(note === undefined ? {} : { note }),
    });
  }
  return {
    tool: input.tool,
    cwd: input.cwd,
    scopes: input.scopes,
    results,
    summary,
    checked,
    duration_ms: input.durationMs,
    exitCode: summary.fail > 0 ? 1 : 0,
  };
}
