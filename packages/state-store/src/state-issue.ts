/** One finding of `checkStateDir` / `verifyLog` (COMPLIANCE-001 reporting: requirement, file:line:column, fix). */
export interface StateIssue {
  /** The requirement violated, e.g. `STATE-OBS-003`, `AUDIT-001`. */
  readonly requirement: string;
  readonly severity: "error" | "warning";
  readonly file: string;
  /** 1-based; 0 when the issue concerns the whole file. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly hint: string;
}

export function issue(
  requirement: string,
  severity: StateIssue["severity"],
  file: string,
  message: string,
  hint: string,
  line = 0,
  column = 0,
): StateIssue {
  return { requirement, severity, file, line, column, message, hint };
}
