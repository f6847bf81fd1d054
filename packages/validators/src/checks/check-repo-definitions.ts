import type { RepoFiles } from "../internal/repo-files.js";
import type { CheckOutcome } from "../validation-report.js";

/** Placeholder until @weft/loader and @weft/dag land. */
export async function checkRepoDefinitions(
  _files: RepoFiles,
  _what: { readonly tasks: boolean; readonly dag: boolean; readonly signal?: AbortSignal },
): Promise<CheckOutcome> {
  return { violations: [] };
}
