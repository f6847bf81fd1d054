/**
 * The one place the adapter runs git (weft's own git, never Aider's): fixed locale, no prompts, no pager.
 */
import { execa } from "execa";

/** Runs `git <args>` in a fixed directory and returns stdout; rejects with git's stderr on failure. */
export type Git = (args: readonly string[]) => Promise<string>;

/** A {@link Git} bound to `cwd`, with `env` as its whole environment (plus LC_ALL=C, GIT_TERMINAL_PROMPT=0). */
export function createGit(cwd: string, env: Readonly<Record<string, string | undefined>>): Git {
  const gitEnv = { ...env, LC_ALL: "C", GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", GIT_OPTIONAL_LOCKS: "0" };
  return async (args) => {
    const result = await execa("git", [...args], {
      cwd,
      env: gitEnv,
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
    });
    if (result.exitCode !== 0) {
      throw new Error(
        `git ${args.join(" ")} failed (${result.exitCode ?? result.signal}): ${String(result.stderr).trim()}`,
      );
    }
    return String(result.stdout);
  };
}
