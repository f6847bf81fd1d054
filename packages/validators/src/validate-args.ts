import { WeftError } from "@weft/core-schema";
import { REPORT_FORMATS, type ReportFormat } from "./render-report.js";
import { VALIDATE_SCOPES, type ValidateScope } from "./requirements.js";

/** The flags of `weft validate` / `weft-validate` (besides the global --cwd, --json, --help). */
export const VALIDATE_FLAGS = [
  {
    name: "format",
    type: "string",
    short: "f",
    value: "<text|json|sarif|github>",
    description: "output format (default: text)",
  },
  { name: "verbose", type: "boolean", description: "also list passing and skipped requirements" },
  { name: "docs", type: "string", value: "<dir>", description: "the docs folder to check (default: docs/)" },
] as const;

export const VALIDATE_USAGE =
  "validate [all|state|tasks|dag|failure-modes|docs]… [--format text|json|sarif|github] [--verbose] [--docs <dir>]";

export const VALIDATE_DETAILS = [
  "Checks the repository against the requirement IDs (COMPLIANCE-001) and prints PASS/FAIL/WARN per ID, each",
  "violation as file:line:column with what is wrong and a suggested fix. Never executes anything from the repo.",
  "Exit codes: 0 all pass (warnings allowed), 1 violations, 2 the validator could not run.",
  "Examples:",
  "  weft validate                      every check (same as 'all')",
  "  weft validate tasks dag --format github",
  "  weft validate docs --docs runbooks/ --format sarif > weft.sarif",
].join("\n");

export interface ValidateInvocation {
  readonly scopes: readonly ValidateScope[];
  readonly format: ReportFormat;
  readonly verbose: boolean;
  readonly docsDir: string | undefined;
}

/**
 * Turns positionals and flags into an invocation (pure). Bad values are `WeftError("VALIDATE_CANNOT_RUN")`
 * (exit 2) with a hint. `json: true` (the global --json) means `--format json`.
 */
export function resolveValidateInvocation(
  positionals: readonly string[],
  flags: {
    readonly format?: unknown;
    readonly verbose?: unknown;
    readonly docs?: unknown;
    readonly json?: unknown;
  },
): ValidateInvocation {
  const scopes: ValidateScope[] = [];
  for (const p of positionals) {
    if (!(VALIDATE_SCOPES as readonly string[]).includes(p)) {
      throw new WeftError("VALIDATE_CANNOT_RUN", `unknown validation scope '${p}'`, {
        hint: `use one of: ${VALIDATE_SCOPES.join(", ")}`,
      });
    }
    if (!scopes.includes(p as ValidateScope)) scopes.push(p as ValidateScope);
  }
  if (scopes.length === 0) scopes.push("all");
  let format: ReportFormat = "text";
  if (flags.format !== undefined) {
    if (typeof flags.format !== "string" || !(REPORT_FORMATS as readonly string[]).includes(flags.format)) {
      throw new WeftError("VALIDATE_CANNOT_RUN", `unknown output format '${String(flags.format)}'`, {
        hint: `use --format ${REPORT_FORMATS.join("|")}`,
      });
    }
    format = flags.format as ReportFormat;
  } else if (flags.json === true) format = "json";
  const docs = flags.docs;
  if (docs !== undefined && (typeof docs !== "string" || docs === "")) {
    throw new WeftError("VALIDATE_CANNOT_RUN", "--docs needs a folder", { hint: "pass --docs <dir>" });
  }
  return {
    scopes,
    format,
    verbose: flags.verbose === true,
    docsDir: typeof docs === "string" ? docs : undefined,
  };
}
