/** One entry of `git worktree list --porcelain -z`. */
export interface WorktreeEntry {
  /** Absolute path as git records it. */
  readonly path: string;
  /** Commit checked out (absent for a bare repository). */
  readonly head?: string;
  /** Full ref name (`refs/heads/…`) when a branch is checked out; absent when detached or bare. */
  readonly branch?: string;
  readonly bare: boolean;
  readonly detached: boolean;
  readonly locked: boolean;
  /** Git considers it prunable (its directory is gone). */
  readonly prunable: boolean;
  /** True for the first entry: the main working tree. */
  readonly main: boolean;
}

/** Parses `git worktree list --porcelain -z` output (pure). The first entry is the main working tree. */
export function parseWorktreeList(output: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  let current: { -readonly [K in keyof WorktreeEntry]?: WorktreeEntry[K] } | undefined;
  const flush = (): void => {
    if (current?.path !== undefined) {
      entries.push({
        path: current.path,
        ...(current.head === undefined ? {} : { head: current.head }),
        ...(current.branch === undefined ? {} : { branch: current.branch }),
        bare: current.bare ?? false,
        detached: current.detached ?? false,
        locked: current.locked ?? false,
        prunable: current.prunable ?? false,
        main: entries.length === 0,
      });
    }
    current = undefined;
  };
  for (const field of output.split("\0")) {
    if (field === "") {
      flush();
      continue;
    }
    const space = field.indexOf(" ");
    const key = space === -1 ? field : field.slice(0, space);
    const value = space === -1 ? "" : field.slice(space + 1);
    if (key === "worktree") {
      flush();
      current = { path: value };
      continue;
    }
    if (current === undefined) continue;
    if (key === "HEAD") current.head = value;
    else if (key === "branch") current.branch = value;
    else if (key === "bare") current.bare = true;
    else if (key === "detached") current.detached = true;
    else if (key === "locked") current.locked = true;
    else if (key === "prunable") current.prunable = true;
  }
  flush();
  return entries;
}
