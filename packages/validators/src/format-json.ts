import type { ValidationReport } from "./validation-report.js";

/** The report as pretty JSON (the shape of {@link ValidationReport}); without `verbose`, PASS results omit nothing. */
export function formatJson(report: ValidationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
