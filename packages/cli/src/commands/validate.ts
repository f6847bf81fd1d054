import {
  renderReport,
  resolveValidateInvocation,
  VALIDATE_DETAILS,
  VALIDATE_FLAGS,
  VALIDATE_USAGE,
  validateRepo,
} from "@weft/validators";
import type { CommandSpec } from "../command-spec.js";

/**
 * `weft validate [all|state|tasks|dag|failure-modes|docs]… [--format text|json|sarif|github] [--verbose]
 * [--docs <dir>]` — COMPLIANCE-001. Scopes, flags, output and exit codes are @weft/validators' own (shared with its
 * `weft-validate` bin): 0 all pass, 1 violations, 2 could not run (VALIDATE_CANNOT_RUN). Never executes anything
 * from the repository.
 */
export const validateCommand: CommandSpec = {
  name: "validate",
  summary: "check the repo against the requirement IDs (never executes anything)",
  usage: [VALIDATE_USAGE],
  flags: VALIDATE_FLAGS.map((f) => ({ ...f })),
  details: VALIDATE_DETAILS,
  async run(args, ctx) {
    const inv = resolveValidateInvocation(args.positionals, { ...args.flags, json: ctx.json });
    const report = await validateRepo({
      cwd: ctx.cwd,
      scopes: inv.scopes,
      docsDir: inv.docsDir,
      signal: ctx.io.signal,
    });
    return {
      exitCode: report.exitCode,
      data: report,
      render: () => renderReport(report, inv.format, { verbose: inv.verbose }),
    };
  },
};
