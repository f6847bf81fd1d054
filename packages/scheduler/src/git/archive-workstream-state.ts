import { mkdir, open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { assertId } from "./git-context.js";

/** The JSON summary weft keeps for a failed or cancelled workstream (SPEC §5, AUDIT-002). */
export interface WorkstreamArchiveRecord {
  readonly workstream_id: string;
  readonly status: string;
  readonly archived_at: string;
  readonly branch: string | null;
  readonly worktree_path: string | null;
  readonly head_commit: string | null;
  readonly base_commit?: string | null;
  readonly target_branch?: string | null;
  /** Conflicting files of a failed merge (empty otherwise). */
  readonly conflicts: readonly string[];
  readonly reason?: string | null;
  /** The workstream's task records (as in current.json). */
  readonly tasks: readonly unknown[];
  readonly [extra: string]: unknown;
}

/** The file name of the latest summary inside `{archiveRoot}/{ws}/`. */
export const ARCHIVE_SUMMARY_FILE = "summary.json";

/**
 * Writes `{archiveRoot}/{ws}/summary.json` atomically (tmp + fsync + rename + fsync dir). `archiveRoot` is
 * `.state/archive/workstreams`, passed in by the engine (`.state` paths are built only by the state store's path
 * module). A previous summary is kept, renamed after its `archived_at`, so repeated failures are all preserved.
 * Returns the summary's path.
 */
export async function archiveWorkstreamState(
  archiveRoot: string,
  record: WorkstreamArchiveRecord,
): Promise<string> {
  assertId(record.workstream_id, "workstream id");
  const dir = join(archiveRoot, record.workstream_id);
  await mkdir(dir, { recursive: true });
  const file = join(dir, ARCHIVE_SUMMARY_FILE);
  const previous = await readFile(file, "utf8").catch(() => undefined);
  if (previous !== undefined) {
    let stamp = "previous";
    try {
      const at = (JSON.parse(previous) as { archived_at?: unknown }).archived_at;
      if (typeof at === "string") stamp = at.replace(/[^0-9A-Za-z]/g, "");
    } catch {
      stamp = "unreadable";
    }
    await rename(file, join(dir, `summary.${stamp}.json`));
  }
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, "w");
  try {
    await handle.writeFile(`${JSON.stringify(record, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  const dirHandle = await open(dir, "r");
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
  return file;
}
