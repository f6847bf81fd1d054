import type { ValidationReport } from "./validation-report.js";

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * GitHub Actions workflow commands: one `::error` / `::warning` annotation per violation (shown on the file and
 * line in the pull request), then a plain summary line per requirement and a total.
 */
export function formatGithub(report: ValidationReport, options: { readonly verbose?: boolean } = {}): string {
  const out: string[] = [];
  for (const r of report.results) {
    for (const v of r.violations) {
      const props = `file=${escapeProperty(v.file)},line=${v.line},col=${v.column},title=${escapeProperty(`${r.id} ${r.title}`)}`;
      out.push(`::${v.level} ${props}::${escapeData(`${v.message}\nfix: ${v.fix}`)}`);
    }
  }
  for (const r of report.results) {
    if (!options.verbose && (r.status === "PASS" || r.status === "SKIP")) continue;
    out.push(`${r.status} ${r.id} ${r.title}${r.violations.length ? ` (${r.violations.length})` : ""}`);
  }
  const s = report.summary;
  out.push(`weft validate: ${s.pass} passed, ${s.fail} failed, ${s.warn} warned, ${s.skip} skipped`);
  return `${out.join("\n")}\n`;
}
