import type { ValidationReport } from "./validation-report.js";

/**
 * Readable text, grouped by requirement: FAIL and WARN requirements with their violations
 * (`file:line:column  what is wrong` + `fix: …`), then a summary. `verbose` also lists PASS and SKIP lines
 * and what was checked.
 */
export function formatText(report: ValidationReport, options: { readonly verbose?: boolean } = {}): string {
  const verbose = options.verbose === true;
  const out: string[] = [];
  out.push(`weft validate ${report.scopes.join(" ")} — ${report.cwd}`);
  for (const r of report.results) {
    if (!verbose && (r.status === "PASS" || r.status === "SKIP")) continue;
    const note = r.status === "SKIP" && r.note ? ` (${r.note})` : "";
    const count =
      r.violations.length > 0
        ? ` — ${r.violations.length} ${r.violations.length === 1 ? "problem" : "problems"}`
        : "";
    if (r.violations.length > 0 || out[out.length - 1]?.startsWith("      fix:")) out.push("");
    out.push(`${r.status.padEnd(4)}  ${r.id}  ${r.title}${count}${note}`);
    for (const v of r.violations) {
      out.push(`  ${v.file}:${v.line}:${v.column}  ${v.level}  ${v.message}`);
      out.push(`      fix: ${v.fix}`);
    }
  }
  if (verbose && Object.keys(report.checked).length > 0) {
    out.push("");
    out.push(
      `checked: ${Object.entries(report.checked)
        .map(([k, n]) => `${n} ${k}`)
        .join(", ")}`,
    );
  }
  const s = report.summary;
  out.push("");
  out.push(
    `${s.fail === 0 ? "OK" : "FAILED"}: ${s.pass} passed, ${s.fail} failed, ${s.warn} warned, ${s.skip} skipped ` +
      `(${report.results.length} requirements, ${report.duration_ms} ms)`,
  );
  if (!verbose && s.pass + s.skip > 0) out.push("(--verbose lists the passing and skipped requirements)");
  return `${out.join("\n")}\n`;
}
