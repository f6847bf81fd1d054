import { createRequire } from "node:module";
import { resolve } from "node:path";
import { WeftError } from "@weft/core-schema";
import { checkExecutionDocs } from "./checks/check-execution-docs.js";
import { checkFailureModeDocs } from "./checks/check-failure-mode-docs.js";
import { checkModuleHeaders } from "./checks/check-module-headers.js";
import { checkOperationsDocs } from "./checks/check-operations-docs.js";
import { checkRepoDefinitions } from "./checks/check-repo-definitions.js";
import { checkRetentionConfig } from "./checks/check-retention-config.js";
import { checkStateDir } from "./checks/check-state-dir.js";
import { createRepoFiles } from "./internal/repo-files.js";
import { runStateStoreCheck } from "./internal/run-state-store-check.js";
import { REQUIREMENTS, requirementsForScopes, type ValidateScope } from "./requirements.js";
import { type CheckOutcome, computeReport, type ValidationReport } from "./validation-report.js";

// by the package's own name, not "../package.json": the `weft` CLI bundles this module elsewhere
const pkg = createRequire(import.meta.url)("@weft/validators/package.json") as {
  name: string;
  version: string;
};

/** The validators' name and version as reports carry them. */
export const VALIDATOR_TOOL = { name: "weft-validate", version: pkg.version } as const;

export interface ValidateRepoOptions {
  /** The repository to validate (absolute or relative to the process cwd the caller resolved). */
  readonly cwd: string;
  readonly scopes: readonly ValidateScope[];
  /** The docs folder to check (default `<cwd>/docs`). Given explicitly, a missing folder fails the docs checks. */
  readonly docsDir?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Injected clock for `duration_ms` (default `performance.now`). */
  readonly now?: (() => number) | undefined;
}

/**
 * Runs the validators of the given scopes over a repository and returns the report (COMPLIANCE-001). Reads only:
 * never executes anything from the repo and never writes to it. Throws `WeftError("VALIDATE_CANNOT_RUN")` when it
 * cannot run at all (exit 2).
 */
export async function validateRepo(options: ValidateRepoOptions): Promise<ValidationReport> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const cwd = resolve(options.cwd);
  const files = createRepoFiles(cwd);
  if (!files.isDir(cwd)) {
    throw new WeftError("VALIDATE_CANNOT_RUN", `'${options.cwd}' is not a directory`, {
      hint: "pass --cwd <dir> with the repository to validate",
    });
  }
  const ids = requirementsForScopes(options.scopes);
  // Asked explicitly for tasks or the DAG of a folder that is no weft repository: a usage error, not a silent pass.
  if (
    (options.scopes.includes("tasks") || options.scopes.includes("dag")) &&
    !files.isDir(resolve(cwd, "tasks"))
  ) {
    throw new WeftError("VALIDATE_CANNOT_RUN", `${cwd} has no tasks/ folder: not a weft repository`, {
      hint: "pass --cwd <repo> (the folder holding tasks/), or run `weft init`",
    });
  }
  const wants = (...reqs: string[]): boolean => reqs.some((r) => ids.includes(r));
  const docsDir = resolve(cwd, options.docsDir ?? "docs");
  const outcomes: CheckOutcome[] = [];
  // @weft/state-store's check reads the whole log: start it first (a worker thread) so it overlaps the rest.
  const stateDir = resolve(cwd, ".state");
  const storeIssues =
    wants("STATE-OBS-001") && files.isDir(stateDir) ? runStateStoreCheck(stateDir) : Promise.resolve([]);
  storeIssues.catch(() => undefined);

  // The docs checks: `--docs <dir>` that does not exist is a usage error (exit 2); in `all`, a repo without a
  // docs/ folder skips the docs-only requirements; `weft validate docs|failure-modes` checks regardless.
  const docsPresent = files.isDir(docsDir);
  const docsScoped = options.scopes.includes("docs") || options.scopes.includes("failure-modes");
  if (options.docsDir !== undefined && !docsPresent) {
    throw new WeftError("VALIDATE_CANNOT_RUN", `the docs folder '${options.docsDir}' does not exist`, {
      hint: "pass --docs <dir> with the folder that holds failure_modes/ and execution_model/",
    });
  }
  if (!docsPresent && !docsScoped) {
    const docsOnly = REQUIREMENTS.filter(
      (q) => q.id.startsWith("ERR-FM-") || q.id.startsWith("EXEC-DOC-"),
    ).map((q) => q.id);
    outcomes.push({
      violations: [],
      skipped: docsOnly.map((requirement) => ({
        requirement,
        reason: `no ${files.display(docsDir)}/ folder (pass --docs <dir> to check one)`,
      })),
    });
  } else {
    if (wants("ERR-FM-001")) outcomes.push(checkFailureModeDocs(files, docsDir));
    if (wants("EXEC-DOC-001")) {
      outcomes.push(checkExecutionDocs(files, docsDir));
      outcomes.push(checkOperationsDocs(files, docsDir));
    }
  }
  if (wants("MOD-IDX-001")) outcomes.push(checkModuleHeaders(files));
  if (wants("TASK-DEF-001", "DAG-VIEW-001")) {
    outcomes.push(
      await checkRepoDefinitions(files, { tasks: wants("TASK-DEF-001"), dag: wants("DAG-VIEW-001") }),
    );
  }
  if (wants("STATE-OBS-001")) outcomes.push(checkRetentionConfig(files));
  if (wants("STATE-OBS-001")) outcomes.push(await checkStateDir(files, storeIssues, options.signal));

  return computeReport({
    requirementIds: ids,
    outcomes,
    cwd,
    scopes: options.scopes,
    tool: VALIDATOR_TOOL,
    durationMs: Math.round(now() - started),
  });
}
