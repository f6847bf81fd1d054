import { readFileSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";

/** Read-only access to the validated directory (validators never write, COMPLIANCE-001). */
export interface RepoFiles {
  readonly cwd: string;
  /** `file` relative to cwd with `/` separators, for violations. */
  display(abs: string): string;
  abs(relPath: string): string;
  /** The file's text, or `undefined` when it does not exist or is not a file. */
  readText(abs: string): string | undefined;
  isDir(abs: string): boolean;
  isFile(abs: string): boolean;
}

export function createRepoFiles(cwd: string): RepoFiles {
  return {
    cwd,
    display(abs) {
      const r = relative(cwd, abs);
      return (r === "" ? "." : r).split(sep).join("/");
    },
    abs(relPath) {
      return isAbsolute(relPath) ? relPath : resolve(cwd, relPath);
    },
    readText(abs) {
      try {
        if (!statSync(abs).isFile()) return undefined;
        return readFileSync(abs, "utf8");
      } catch {
        return undefined;
      }
    },
    isDir(abs) {
      try {
        return statSync(abs).isDirectory();
      } catch {
        return false;
      }
    },
    isFile(abs) {
      try {
        return statSync(abs).isFile();
      } catch {
        return false;
      }
    },
  };
}
