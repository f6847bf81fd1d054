import { cp, lstat, mkdir, realpath } from "node:fs/promises";
import { dirname } from "node:path";
import { WeftError } from "@weft/core-schema";
import type { GitContext } from "./git-context.js";
import { loadExeca } from "./load-execa.js";
import { isWeftOwnedPath } from "./parse-status.js";
import { checkRelativePath, isInsideOrSame, resolveInside } from "./resolve-inside.js";

/** A workstream's `bootstrap` (SPEC §5): files copied from the main working tree, then setup commands. */
export interface BootstrapSpec {
  readonly copy?: readonly string[];
  readonly commands?: readonly string[];
}

/** Where bootstrap output goes (the engine appends it to the workstream's log). */
export type LogSink = (text: string) => void;

/** Options of {@link runBootstrap}. */
export interface RunBootstrapOptions {
  readonly workstreamId: string;
  readonly worktreePath: string;
  readonly bootstrap: BootstrapSpec;
  readonly log?: LogSink;
  readonly signal?: AbortSignal;
}

/**
 * Runs a workstream's bootstrap in its worktree: copies each `copy` path from the main working tree to the same
 * place in the worktree (paths validated: relative, no `..`, no symlink escape, not `.git`/`.weft`/`.aider*`),
 * then runs each command through a shell with cwd = the worktree and the inherited environment plus
 * `WEFT_WORKSTREAM_ID`/`WEFT_WORKTREE`. A failed copy or command throws `SCHED_BOOTSTRAP_FAILED`.
 */
export async function runBootstrap(context: GitContext, options: RunBootstrapOptions): Promise<void> {
  const { worktreePath, bootstrap, signal } = options;
  const log = options.log ?? (() => {});
  for (const path of bootstrap.copy ?? []) {
    signal?.throwIfAborted();
    await copyIntoWorktree(context, worktreePath, path, log);
  }
  for (const command of bootstrap.commands ?? []) {
    signal?.throwIfAborted();
    const { execa } = await loadExeca();
    log(`$ ${command}\n`);
    const child = execa(command, {
      shell: true,
      cwd: worktreePath,
      env: { WEFT_WORKSTREAM_ID: options.workstreamId, WEFT_WORKTREE: worktreePath },
      stdin: "ignore",
      buffer: false,
      reject: false,
      forceKillAfterDelay: 5_000,
      ...(signal === undefined ? {} : { cancelSignal: signal }),
    });
    child.stdout?.on("data", (chunk: Buffer) => log(chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => log(chunk.toString("utf8")));
    const result = await child;
    if (result.failed) {
      const why = result.isCanceled
        ? "was cancelled"
        : result.exitCode === undefined
          ? `failed to start (${result.shortMessage})`
          : `exited with ${result.exitCode}`;
      log(`bootstrap command ${why}\n`);
      throw new WeftError("SCHED_BOOTSTRAP_FAILED", `bootstrap command ${JSON.stringify(command)} ${why}`, {
        hint: "Fix the command in _workstream.json bootstrap.commands; its output is in the workstream log.",
        details: { command, exitCode: result.exitCode ?? null, worktree: worktreePath },
      });
    }
    context.logger.info({ workstreamId: options.workstreamId, command }, "bootstrap command finished");
  }
}

/**
 * Checks a `bootstrap.copy` entry without touching the disk (pure): relative, no `..`, not `.git`, `.weft` or
 * `.aider*`. Returns it normalized; throws `SCHED_PATH_OUTSIDE_REPO`.
 */
export function checkCopyPath(path: string): string {
  const rel = checkRelativePath(path, "bootstrap.copy entry");
  const first = rel.split(/[\\/]/)[0] ?? "";
  if (first === ".git" || isWeftOwnedPath(rel)) {
    throw new WeftError(
      "SCHED_PATH_OUTSIDE_REPO",
      `bootstrap.copy entry ${JSON.stringify(path)} names a git or weft internal path`,
      {
        details: { path },
      },
    );
  }
  return rel;
}

async function copyIntoWorktree(
  context: GitContext,
  worktreePath: string,
  path: string,
  log: LogSink,
): Promise<void> {
  const rel = checkCopyPath(path);
  const source = await resolveInside(context.userRoot, rel, "bootstrap.copy source");
  try {
    await lstat(source);
  } catch {
    throw new WeftError(
      "SCHED_BOOTSTRAP_FAILED",
      `bootstrap.copy source ${JSON.stringify(path)} does not exist in ${context.userRoot}`,
      {
        hint: "Create the file in the repository root or remove it from bootstrap.copy.",
        details: { path },
      },
    );
  }
  const destination = await resolveInside(worktreePath, rel, "bootstrap.copy destination");
  const existing = await lstat(destination).catch(() => undefined);
  if (existing?.isSymbolicLink()) {
    throw new WeftError(
      "SCHED_PATH_OUTSIDE_REPO",
      `bootstrap.copy destination ${JSON.stringify(path)} is a symlink in the worktree`,
      {
        details: { path },
      },
    );
  }
  await mkdir(dirname(destination), { recursive: true });
  const sourceRoot = context.userRoot;
  await cp(source, destination, {
    recursive: true,
    force: true,
    verbatimSymlinks: true,
    // Symlinks inside a copied folder must not lead out of the repository (DESIGN §7).
    filter: async (src) => {
      const stat = await lstat(src);
      if (!stat.isSymbolicLink()) return true;
      const real = await realpath(src).catch(() => undefined);
      if (real !== undefined && isInsideOrSame(sourceRoot, real)) return true;
      throw new WeftError(
        "SCHED_PATH_OUTSIDE_REPO",
        `bootstrap.copy: ${src} is a symlink leading outside the repository`,
        {
          details: { path: src },
        },
      );
    },
  });
  log(`copied ${rel}\n`);
  const ignored = await context.git(worktreePath, ["check-ignore", "-q", "--", rel], { okExitCodes: [0, 1] });
  if (ignored.exitCode === 1) {
    // A copied file that git does not ignore would be committed with the first task's changes.
    context.logger.warn({ path: rel, worktree: worktreePath }, "bootstrap copied a file git does not ignore");
    log(`warning: ${rel} is not ignored by git; it will be committed with the first task's changes\n`);
  }
}
