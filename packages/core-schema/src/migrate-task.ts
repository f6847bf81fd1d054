import { WeftError } from "./weft-error.js";

type Json = Record<string, unknown>;

/** SPEC §12 defaults added by the 1.0.0 → 2.0.0 migration, per task type. */
export function migrationDefaults(type: unknown): { context_requirements?: Json; validation_rules: Json } {
  switch (type) {
    case "aider":
      return {
        context_requirements: {
          max_context_tokens: 8000,
          required_files: [],
          optional_files: [],
          exclude_patterns: ["**/__pycache__/**", "**/*.pyc", "**/node_modules/**"],
        },
        validation_rules: { pre_execution: ["git_clean"], post_execution: ["no_lint_errors"] },
      };
    case "pytest":
      return { validation_rules: { pre_execution: [], post_execution: ["tests_passing"] } };
    default:
      return { validation_rules: { pre_execution: [], post_execution: [] } };
  }
}

/** The schema version a raw task document declares (`1.0.0` when absent). */
export function taskSchemaVersionOf(raw: Json): string {
  return typeof raw.schema_version === "string" ? raw.schema_version : "1.0.0";
}

/**
 * Migrates a raw task document from 1.0.0 to 2.0.0 (SCHEMA-VER-002, SPEC §12): `schema_version` becomes the first
 * key, every existing field keeps its value and position, and the type's default `context_requirements` and
 * `validation_rules` are added (existing ones are kept). Pure; returns a new object.
 */
export function migrateTaskV1ToV2(raw: Json): Json {
  const version = taskSchemaVersionOf(raw);
  if (version === "2.0.0") return { ...raw };
  if (version !== "1.0.0") {
    throw new WeftError(
      "SCHEMA_MIGRATION_UNSUPPORTED",
      `cannot migrate a task from schema ${version} to 2.0.0`,
      {
        hint: "known task schema versions are 1.0.0 and 2.0.0",
      },
    );
  }
  const out: Json = { schema_version: "2.0.0" };
  for (const [k, v] of Object.entries(raw)) if (k !== "schema_version") out[k] = v;
  const defaults = migrationDefaults(raw.type);
  if (defaults.context_requirements && out.context_requirements === undefined) {
    out.context_requirements = defaults.context_requirements;
  }
  if (out.validation_rules === undefined) out.validation_rules = defaults.validation_rules;
  return out;
}

/**
 * Downgrades a 2.0.0 task document to 1.0.0: drops `context_requirements` and `validation_rules` (lossy: the
 * dropped values are returned so a caller can report them) and sets `schema_version` to 1.0.0.
 */
export function downgradeTaskV2ToV1(raw: Json): { task: Json; dropped: Json } {
  const out: Json = {};
  const dropped: Json = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === "context_requirements" || k === "validation_rules") dropped[k] = v;
    else out[k] = v;
  }
  out.schema_version = "1.0.0";
  return { task: { schema_version: "1.0.0", ...out }, dropped };
}
