import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { isWeftError } from "@weft/core-schema";
import { renderReport } from "./render-report.js";
import {
  resolveValidateInvocation,
  VALIDATE_DETAILS,
  VALIDATE_FLAGS,
  VALIDATE_USAGE,
} from "./validate-args.js";
import { VALIDATOR_TOOL, validateRepo } from "./validate-repo.js";

export interface ValidateCliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The process's working directory; `--cwd` is resolved against it. */
  readonly cwd: string;
  readonly signal?: AbortSignal;
}

function help(): string {
  const flags = [
    ...VALIDATE_FLAGS.map((f) => `  --${f.name}${"value" in f ? ` ${f.value}` : ""}  ${f.description}`),
    "  --cwd <dir>  validate <dir> instead of the current directory",
    "  --json  same as --format json",
    "  -h, --help  show this help",
    "  --version  print the version",
  ];
  return `usage: weft-${VALIDATE_USAGE}\n\n${flags.join("\n")}\n\n${VALIDATE_DETAILS.replaceAll("weft validate", "weft-validate")}\n`;
}

/**
 * The `weft-validate` command line (the bin of @weft/validators, for CI jobs that install only this package):
 * same scopes, flags, output and exit codes as `weft validate`. Returns the exit code; never throws; never
 * touches `process` (the bin passes its streams in).
 */
export async function runValidateCli(argv: readonly string[], io: ValidateCliIO): Promise<number> {
  try {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: [...argv],
        allowPositionals: true,
        strict: true,
        options: {
          format: { type: "string", short: "f" },
          verbose: { type: "boolean" },
          docs: { type: "string" },
          cwd: { type: "string" },
          json: { type: "boolean" },
          help: { type: "boolean", short: "h" },
          version: { type: "boolean" },
        },
      });
    } catch (error) {
      io.stderr(
        `weft-validate: ${error instanceof Error ? error.message : String(error)} [VALIDATE_CANNOT_RUN]\n  hint: run 'weft-validate --help' to see the flags\n`,
      );
      return 2;
    }
    const { values, positionals } = parsed;
    if (values.help === true) {
      io.stdout(help());
      return 0;
    }
    if (values.version === true) {
      io.stdout(`${VALIDATOR_TOOL.version}\n`);
      return 0;
    }
    const inv = resolveValidateInvocation(positionals, values);
    const cwd = resolve(io.cwd, typeof values.cwd === "string" ? values.cwd : ".");
    const report = await validateRepo({ cwd, scopes: inv.scopes, docsDir: inv.docsDir, signal: io.signal });
    io.stdout(renderReport(report, inv.format, { verbose: inv.verbose }));
    return report.exitCode;
  } catch (error) {
    if (isWeftError(error)) {
      io.stderr(
        `weft-validate: ${error.message} [${error.code}]\n${error.hint ? `  hint: ${error.hint}\n` : ""}`,
      );
    } else {
      io.stderr(`weft-validate: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    return 2;
  }
}
