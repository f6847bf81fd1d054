import { defaultConfig, type RetentionConfig } from "@weft/core-schema";
import { parseConfigFile } from "@weft/loader";
import { parseJsonText } from "../internal/locate-json.js";
import type { RepoFiles } from "../internal/repo-files.js";
import type { CheckOutcome, Violation } from "../validation-report.js";

/** SPEC §11 retention: the values below which the policy no longer holds (configurable, so a WARN). */
const SPEC_MINIMUMS: Readonly<
  Record<keyof RetentionConfig, { readonly min?: number; readonly max?: number; readonly words: string }>
> = {
  live_days: { min: 90, words: "the live log keeps ≥ 90 days" },
  rotate_max_mb: { max: 100, words: "segments rotate daily or above 100 MB" },
  archive_days: { min: 365, words: "archives are kept 1 year" },
  task_log_days: { min: 30, words: "task logs are archived after 30 days" },
  metrics_days: { min: 30, words: "a metrics history is kept 30 days (OBS-001)" },
};

/**
 * AUDIT-002 (configured): the retention policy in `weft.config.json` (parsed by @weft/loader, defaults when absent)
 * keeps at least what SPEC §11 decides; a shorter configured period is a WARN naming the rule it weakens.
 */
export function checkRetentionConfig(files: RepoFiles): CheckOutcome {
  const path = files.abs("weft.config.json");
  const text = files.readText(path);
  if (text === undefined) return { violations: [] }; // every default applies: the SPEC §11 policy
  const parsed = parseConfigFile(text, { file: "weft.config.json" });
  const config = parsed.config ?? defaultConfig();
  const doc = parseJsonText(text);
  const violations: Violation[] = [];
  for (const [key, rule] of Object.entries(SPEC_MINIMUMS) as [
    keyof RetentionConfig,
    (typeof SPEC_MINIMUMS)[keyof RetentionConfig],
  ][]) {
    const value = config.retention[key];
    const weaker =
      (rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max);
    if (!weaker) continue;
    const pos = doc.locate(["retention", key]);
    violations.push({
      requirement: "AUDIT-002",
      level: "warning",
      file: "weft.config.json",
      line: pos.line,
      column: pos.column,
      message: `retention.${key} is ${value}: weaker than the audit policy (${rule.words})`,
      fix: `set retention.${key} to ${rule.min ?? rule.max} or ${rule.min !== undefined ? "more" : "less"}, or document why in docs/operations/AUDIT_RETENTION.md`,
    });
  }
  return { violations };
}
