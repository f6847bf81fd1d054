/** One changed path from `git status --porcelain -z`. */
export interface StatusEntry {
  /** Two status letters (`XY`), e.g. ` M`, `??`, `R `. */
  readonly code: string;
  readonly path: string;
  /** The source path of a rename or copy. */
  readonly from?: string;
}

/** Parses `git status --porcelain[=v1] -z` output (pure). */
export function parseStatusPorcelain(output: string): StatusEntry[] {
  const fields = output.split("\0");
  const entries: StatusEntry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field === undefined || field.length < 4) continue;
    const code = field.slice(0, 2);
    const path = field.slice(3);
    if (code.includes("R") || code.includes("C")) {
      const from = fields[i + 1];
      i++;
      entries.push(from === undefined ? { code, path } : { code, path, from });
    } else {
      entries.push({ code, path });
    }
  }
  return entries;
}

/**
 * True for files weft and Aider own, which weft never commits and never counts as changes: `.weft/` and the
 * `.aider*` files Aider writes at the repository root (AIDER.md "Git").
 */
export function isWeftOwnedPath(path: string): boolean {
  return path === ".weft" || path.startsWith(".weft/") || path.startsWith(".aider");
}

/** The status entries that count as changes (weft/Aider files dropped) — pure. */
export function selectUserChanges(entries: readonly StatusEntry[]): StatusEntry[] {
  return entries.filter((entry) => !isWeftOwnedPath(entry.path));
}

/** Pathspecs that exclude weft/Aider files from `git add -A`. */
export const WEFT_OWNED_EXCLUDE_PATHSPECS: readonly string[] = [
  ":(exclude,top).aider*",
  ":(exclude,top).weft",
];

/** Lines weft adds to the repository's `info/exclude` so `.aider*` and `.weft/` are never committed. */
export const WEFT_EXCLUDE_LINES: readonly string[] = [".aider*", ".weft/"];
