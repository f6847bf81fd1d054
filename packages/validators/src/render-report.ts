import { formatGithub } from "./format-github.js";
import { formatJson } from "./format-json.js";
import { formatSarif } from "./format-sarif.js";
import { formatText } from "./format-text.js";
import type { ValidationReport } from "./validation-report.js";

export type ReportFormat = "text" | "json" | "sarif" | "github";

export const REPORT_FORMATS: readonly ReportFormat[] = ["text", "json", "sarif", "github"];

/** Renders a report in one of the output formats (pure). */
export function renderReport(
  report: ValidationReport,
  format: ReportFormat,
  options: { readonly verbose?: boolean } = {},
): string {
  switch (format) {
    case "json":
      return formatJson(report);
    case "sarif":
      return formatSarif(report);
    case "github":
      return formatGithub(report, options);
    default:
      return formatText(report, options);
  }
}
