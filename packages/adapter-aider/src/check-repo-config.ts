/**
 * Aider reads `.aider.conf.yml`, `.aider.model.settings.yml` and `.env` from the git root and the cwd even when
 * told otherwise (AIDER.md): a repo could turn on `yes-always`, point the API at another host or load commands.
 * weft refuses such a worktree unless `aider.allow_repo_config` is true. Reads files; never writes.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

/** A configuration file that would change how Aider behaves. Never carries values (they may be secrets). */
export interface RepoConfigFinding {
  /** Path of the file. */
  readonly file: string;
  /** Keys that matter (for `.env`), empty for whole-file settings. */
  readonly keys: readonly string[];
}

const SETTINGS_FILES = [".aider.conf.yml", ".aider.model.settings.yml"];
const ENV_KEY = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;
const RISKY_ENV_KEY = /^AIDER_|_API_BASE$|_BASE_URL$/;

async function readIfPresent(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw error;
  }
}

/**
 * Lists the Aider configuration in `dirs` (the worktree root and Aider's cwd): `.aider.conf.yml`,
 * `.aider.model.settings.yml`, and a `.env` that sets `AIDER_*`, `*_API_BASE` or `*_BASE_URL`.
 */
export async function findRepoAiderConfig(dirs: readonly string[]): Promise<RepoConfigFinding[]> {
  const findings: RepoConfigFinding[] = [];
  for (const dir of [...new Set(dirs)]) {
    for (const name of SETTINGS_FILES) {
      if ((await readIfPresent(path.join(dir, name))) !== null)
        findings.push({ file: path.join(dir, name), keys: [] });
    }
    const dotEnv = await readIfPresent(path.join(dir, ".env"));
    if (dotEnv !== null) {
      const keys = dotEnv
        .split("\n")
        .map((line) => ENV_KEY.exec(line)?.[1])
        .filter((key): key is string => key !== undefined && RISKY_ENV_KEY.test(key));
      if (keys.length > 0) findings.push({ file: path.join(dir, ".env"), keys: [...new Set(keys)] });
    }
  }
  return findings;
}
