import {
  appendFileSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { type MetricsDocument, WeftError } from "@weft/core-schema";

/**
 * Where metrics go. The caller builds these paths (`.state` paths are built in one place, @weft/state-store's
 * `state-paths.ts`): `metrics` is `.state/metrics.json`, `historyDir` is `.state/metrics/`.
 */
export interface MetricsFiles {
  readonly metrics: string;
  readonly historyDir: string;
}

export interface WriteMetricsOptions {
  /** Days of history kept (`retention.metrics_days`, default 30). Older `history-YYYYMMDD.jsonl` files are removed. */
  readonly retentionDays?: number | undefined;
  /** Clock for pruning; default: the metrics' own timestamp. */
  readonly now?: Date | undefined;
}

export interface WriteMetricsResult {
  readonly file: string;
  readonly historyFile: string;
  /** History files removed because they were older than the retention. */
  readonly pruned: readonly string[];
}

/** `history-YYYYMMDD.jsonl`; group 1 = the UTC day. */
export const HISTORY_FILE_NAME = /^history-(\d{8})\.jsonl$/;

/** The history file name of an ISO timestamp's UTC day. */
export function historyFileName(iso: string): string {
  return `history-${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}.jsonl`;
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes `text` to `file` atomically: `file.tmp` → fsync → rename → fsync the directory. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = join(dirname(file), `${basename(file)}.tmp`);
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  fsyncDir(dirname(file));
}

/**
 * Removes history files of days older than `retentionDays` before `now` (UTC days; today counts as one). Returns
 * the removed paths. Files that do not match `history-YYYYMMDD.jsonl` are left alone.
 */
export function pruneMetricsHistory(historyDir: string, retentionDays: number, now: Date): string[] {
  let names: string[];
  try {
    names = readdirSync(historyDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const cutoff = new Date(now.getTime() - (Math.max(1, retentionDays) - 1) * 86_400_000)
    .toISOString()
    .slice(0, 10)
    .replace(/-/g, "");
  const removed: string[] = [];
  for (const name of names.sort()) {
    const m = HISTORY_FILE_NAME.exec(name);
    if (m && m[1]! < cutoff) {
      rmSync(join(historyDir, name), { force: true });
      removed.push(join(historyDir, name));
    }
  }
  return removed;
}

/**
 * Writes `.state/metrics.json` atomically (OBS-001) and appends one compact line to the day's history file
 * (`.state/metrics/history-YYYYMMDD.jsonl`, UTC), then prunes history older than `retentionDays` (default 30,
 * SPEC §13). The engine calls this every `metrics.interval_seconds` (60 s) during `weft run`. Synchronous: one
 * small file, one fsync.
 */
export function writeMetricsFile(
  files: MetricsFiles,
  metrics: MetricsDocument,
  options: WriteMetricsOptions = {},
): WriteMetricsResult {
  const historyFile = join(files.historyDir, historyFileName(metrics.timestamp));
  try {
    mkdirSync(dirname(files.metrics), { recursive: true });
    writeFileAtomic(files.metrics, `${JSON.stringify(metrics, null, 2)}\n`);
    mkdirSync(files.historyDir, { recursive: true });
    appendFileSync(historyFile, `${JSON.stringify(metrics)}\n`);
    const pruned = pruneMetricsHistory(
      files.historyDir,
      options.retentionDays ?? 30,
      options.now ?? new Date(metrics.timestamp),
    );
    return { file: files.metrics, historyFile, pruned };
  } catch (e) {
    if (e instanceof WeftError) throw e;
    throw new WeftError("STATE_IO", `could not write ${files.metrics}: ${(e as Error).message}`, {
      hint: "check that .state/ is writable and the disk is not full",
      details: { file: files.metrics },
      cause: e,
    });
  }
}
