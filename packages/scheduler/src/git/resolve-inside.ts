import { realpath } from "node:fs/promises";
import { isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { WeftError } from "@weft/core-schema";

/** True when `child` is `parent` or lies beneath it (both absolute, already normalized) — pure. */
export function isInsideOrSame(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/** True when `child` lies strictly beneath `parent` — pure. */
export function isStrictlyInside(parent: string, child: string): boolean {
  return isInsideOrSame(parent, child) && relative(parent, child) !== "";
}

/**
 * Checks a repo-relative path from a definition (DESIGN §7 "Trust boundaries"): not empty, not absolute, no `..`
 * segment, no NUL, not the root itself. Returns it normalized. Pure; throws `SCHED_PATH_OUTSIDE_REPO`.
 */
export function checkRelativePath(path: string, what: string): string {
  const refuse = (why: string): never => {
    throw new WeftError("SCHED_PATH_OUTSIDE_REPO", `${what} ${JSON.stringify(path)} ${why}`, {
      hint: "Use a path relative to the repository root, without '..' and without leading '/'.",
      details: { path },
    });
  };
  if (path.length === 0) refuse("is empty");
  if (path.includes("\0")) refuse("contains a NUL byte");
  if (isAbsolute(path) || /^[A-Za-z]:/.test(path) || path.startsWith("\\")) refuse("is absolute");
  const segments = path.split(/[\\/]+/);
  if (segments.includes("..")) refuse("contains a '..' segment");
  const normalized = normalize(path).replace(/[\\/]+$/, "");
  if (normalized === "" || normalized === ".") refuse("names the repository root itself");
  return normalized;
}

/**
 * Resolves a repo-relative path inside `root` and follows symlinks: the real path of the file (or, when it does not
 * exist yet, of its nearest existing ancestor) must stay inside the real path of `root`. Throws
 * `SCHED_PATH_OUTSIDE_REPO` on an escape.
 */
export async function resolveInside(root: string, path: string, what: string): Promise<string> {
  const rel = checkRelativePath(path, what);
  const rootReal = await realpath(root);
  const target = resolve(rootReal, rel);
  if (!isStrictlyInside(rootReal, target)) {
    throw new WeftError(
      "SCHED_PATH_OUTSIDE_REPO",
      `${what} ${JSON.stringify(path)} resolves outside ${rootReal}`,
      {
        details: { path, root: rootReal },
      },
    );
  }
  const real = await realpathOfExistingAncestor(target);
  if (!isInsideOrSame(rootReal, real.real) || (real.existing === target && real.real === rootReal)) {
    throw new WeftError(
      "SCHED_PATH_OUTSIDE_REPO",
      `${what} ${JSON.stringify(path)} leads outside ${rootReal} through a symlink`,
      {
        hint: "weft does not follow symlinks out of the repository.",
        details: { path, root: rootReal, resolved: real.real },
      },
    );
  }
  return join(real.real, relative(real.existing, target));
}

async function realpathOfExistingAncestor(target: string): Promise<{ existing: string; real: string }> {
  let current = target;
  for (;;) {
    try {
      return { existing: current, real: await realpath(current) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      const parent = resolve(current, "..");
      if (parent === current) throw error;
      current = parent;
    }
  }
}
