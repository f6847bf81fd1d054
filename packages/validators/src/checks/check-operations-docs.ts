import { join } from "node:path";
import { migrationDefaults, RetentionConfig, TaskType } from "@weft/core-schema";
import { findSection, parseMarkdown } from "../internal/markdown.js";
import type { RepoFiles } from "../internal/repo-files.js";
import type { CheckOutcome, Violation } from "../validation-report.js";

/** Sections of `<docs>/schema_migrations/task_v1_to_v2.md` (SCHEMA-VER-002). */
export const MIGRATION_DOC_SECTIONS = [
  "What changes",
  "Defaults per type",
  "Migrating",
  "Restoring",
] as const;

/**
 * Phrases `<docs>/operations/AUDIT_RETENTION.md` must contain (AUDIT-002, SPEC §11): the rotate / verify / restore
 * procedures and every retention setting of `weft.config.json` (core-schema's RetentionConfig keys).
 */
export const RETENTION_DOC_PHRASES: readonly string[] = [
  "weft audit rotate",
  "weft audit verify",
  "restore",
  "weft.config.json",
  ...Object.keys(RetentionConfig.shape).filter((k) => k !== "metrics_days"),
];

function valuesOf(x: unknown, out: Set<string>): void {
  if (Array.isArray(x)) for (const v of x) valuesOf(v, out);
  else if (x !== null && typeof x === "object") for (const v of Object.values(x)) valuesOf(v, out);
  else if (typeof x === "string" || typeof x === "number") out.add(String(x));
}

/**
 * SCHEMA-VER-002: the task 1.0.0 → 2.0.0 migration document exists, has its sections and states every default
 * `migrateTaskV1ToV2` adds. AUDIT-002 (documented): the retention runbook exists and names the rotate / verify /
 * restore commands and the 90-day live window.
 */
export function checkOperationsDocs(files: RepoFiles, docsDir: string): CheckOutcome {
  const violations: Violation[] = [];
  const migPath = join(docsDir, "schema_migrations", "task_v1_to_v2.md");
  const migFile = files.display(migPath);
  const mig = files.readText(migPath);
  if (mig === undefined) {
    violations.push({
      requirement: "SCHEMA-VER-002",
      level: "error",
      file: migFile,
      line: 1,
      column: 1,
      message: "the task schema migration (1.0.0 → 2.0.0) is not documented",
      fix: `create ${migFile} with the sections ${MIGRATION_DOC_SECTIONS.map((s) => `'## ${s}'`).join(", ")}`,
    });
  } else {
    const doc = parseMarkdown(mig);
    for (const s of MIGRATION_DOC_SECTIONS) {
      if (!findSection(doc, s)) {
        violations.push({
          requirement: "SCHEMA-VER-002",
          level: "error",
          file: migFile,
          line: 1,
          column: 1,
          message: `task_v1_to_v2.md: no '## ${s}' section`,
          fix: `add a '## ${s}' section to ${migFile}`,
        });
      }
    }
    const values = new Set<string>();
    for (const t of TaskType.options) valuesOf(migrationDefaults(t), values);
    for (const v of [...values].sort()) {
      if (!mig.includes(v)) {
        violations.push({
          requirement: "SCHEMA-VER-002",
          level: "error",
          file: migFile,
          line: findSection(doc, "Defaults per type")?.line ?? 1,
          column: 1,
          message: `task_v1_to_v2.md does not state the migration default '${v}'`,
          fix: `list '${v}' among the defaults migrateTaskV1ToV2 adds (see SPEC §12)`,
        });
      }
    }
  }

  const retPath = join(docsDir, "operations", "AUDIT_RETENTION.md");
  const retFile = files.display(retPath);
  const ret = files.readText(retPath);
  if (ret === undefined) {
    violations.push({
      requirement: "AUDIT-002",
      level: "error",
      file: retFile,
      line: 1,
      column: 1,
      message: "the audit retention policy is not documented",
      fix: `create ${retFile} describing retention periods, rotation (weft audit rotate), verification (weft audit verify) and restore`,
    });
  } else {
    const lower = ret.toLowerCase();
    for (const p of RETENTION_DOC_PHRASES) {
      if (!lower.includes(p.toLowerCase())) {
        violations.push({
          requirement: "AUDIT-002",
          level: "error",
          file: retFile,
          line: 1,
          column: 1,
          message: `AUDIT_RETENTION.md never mentions '${p}'`,
          fix: `document '${p}' in ${retFile} (SPEC §11: retention periods, rotation, verification, restore)`,
        });
      }
    }
  }
  return { violations, checked: { "operations documents": (mig ? 1 : 0) + (ret ? 1 : 0) } };
}
