import { appendFile, cp, mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll } from "vitest";
import { createRunGit, type GitResult, type RunGit } from "../../src/git/index.js";

/** Git environment that ignores the machine's global/system config, so tests see only the temp repo's config. */
export const ISOLATED_GIT_ENV = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" } as const;

const FIXTURE_IDENTITY = {
  GIT_AUTHOR_NAME: "Fixture",
  GIT_AUTHOR_EMAIL: "fixture@example.invalid",
  GIT_COMMITTER_NAME: "Fixture",
  GIT_COMMITTER_EMAIL: "fixture@example.invalid",
};

/** Runs git for test setup and assertions (isolated config, fixture identity). Returns trimmed stdout. */
export async function sh(cwd: string, ...args: string[]): Promise<string> {
  const result = await execa("git", ["-C", cwd, ...args], {
    env: { ...ISOLATED_GIT_ENV, ...FIXTURE_IDENTITY },
  });
  return result.stdout.trim();
}

/** A counting git runner with the isolated config. */
export function countingRunGit(): { runGit: RunGit; calls: string[][] } {
  const inner = createRunGit({ env: ISOLATED_GIT_ENV });
  const calls: string[][] = [];
  const runGit: RunGit = (cwd, args, options): Promise<GitResult> => {
    calls.push([...args]);
    return inner(cwd, args, options);
  };
  return { runGit, calls };
}

export interface TestRepo {
  readonly root: string;
  readonly base: string;
  cleanup(): Promise<void>;
}

let template: Promise<string> | undefined;

/** The initial repository, built once per test file and copied for each test (copying is cheaper than git). */
function templateRepo(): Promise<string> {
  template ??= (async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), "weft-git-template-")));
    afterAll(() => rm(dir, { recursive: true, force: true }));
    const root = join(dir, "repo");
    await execa("git", ["init", "-q", "-b", "main", root], { env: ISOLATED_GIT_ENV });
    await mkdir(join(root, "src"));
    await writeFile(join(root, "README.md"), "# demo\n");
    await writeFile(join(root, "src", "app.txt"), "line 1\nline 2\nline 3\n");
    await writeFile(join(root, ".gitignore"), ".env\ndeps/\n");
    await sh(root, "add", "-A");
    await sh(root, "commit", "-q", "-m", "initial");
    return root;
  })();
  return template;
}

/** A fresh repository on `main` with one commit (`README.md`, `src/app.txt`, `.gitignore` ignoring `.env`, `deps/`). */
export async function createTestRepo(options: { identity?: boolean } = {}): Promise<TestRepo> {
  const source = await templateRepo();
  const base = await realpath(await mkdtemp(join(tmpdir(), "weft-git-")));
  const root = join(base, "repo");
  await cp(source, root, { recursive: true });
  if (options.identity !== false) {
    await appendFile(
      join(root, ".git", "config"),
      "[user]\n\tname = Repo User\n\temail = user@example.invalid\n",
    );
  }
  return { root, base, cleanup: () => rm(base, { recursive: true, force: true }) };
}
