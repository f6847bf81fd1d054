import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { WeftError } from "@weft/core-schema";
import { acquireLock, type LockOptions } from "./acquire-lock.js";
import { hashLine } from "./append-log.js";
import { fsyncDirSync, writeFileDurableSync } from "./internal/durable-fs.js";
import { nodeZlib } from "./internal/lazy-builtins.js";
import { parseEventLine } from "./read-log.js";
import { ARCHIVE_SEGMENT_NAME, archiveSegmentPath, type StatePaths } from "./state-paths.js";
import { type VerifyResult, verifyLog } from "./verify-log.js";

export interface RestoreResult {
  /** Where the backup was put. */
  readonly target: string;
  readonly kind: "archive" | "live";
  readonly lines: number;
  readonly first_seq: number;
  readonly last_seq: number;
  /** The file that was there before (damaged or different), moved to `.state/quarantine/`; null if none. */
  readonly replaced: string | null;
  readonly unchanged: boolean;
  /** `verifyLog` after the restore. */
  readonly verify: VerifyResult;
}

function invalid(file: string, message: string, line = 0): WeftError {
  return new WeftError("STATE_ARCHIVE_INVALID", `the backup is not a usable log segment: ${message}`, {
    hint: "pick another backup copy; `weft audit verify` shows which seqs are damaged",
    details: line > 0 ? { file, line } : { file },
  });
}

/**
 * `weft audit restore <backup>` (AUDIT-002): puts a backup copy of a log segment back in place after checking it.
 * A `transitions_YYYYMMDD[_NNN].jsonl.gz` goes to its archive path; a `transitions.jsonl` replaces the live log.
 * The backup must be readable, every line a valid event, `seq` strictly +1 and its own hash chain intact; the
 * file it replaces is moved to `.state/quarantine/` (never deleted). Needs the `.state` lock. Returns a full
 * `verifyLog` of the result, so the caller sees whether the history is whole again.
 */
export function restoreSegment(
  paths: StatePaths,
  backup: string,
  options: { lock?: LockOptions; now?: () => Date } = {},
): RestoreResult {
  const name = basename(backup);
  const m = ARCHIVE_SEGMENT_NAME.exec(name);
  const kind: "archive" | "live" = m
    ? "archive"
    : name.endsWith(".jsonl")
      ? "live"
      : (() => {
          throw new WeftError("STATE_ARCHIVE_INVALID", `cannot tell where '${name}' belongs`, {
            hint: "restore a transitions_YYYYMMDD.jsonl.gz archive segment or a transitions.jsonl live log",
            details: { file: backup },
          });
        })();
  let raw: Buffer;
  try {
    raw = readFileSync(backup);
  } catch (e) {
    throw new WeftError("STATE_IO", `cannot read the backup: ${(e as Error).message}`, {
      details: { file: backup },
      cause: e,
    });
  }
  let text: string;
  try {
    text = kind === "archive" ? nodeZlib().gunzipSync(raw).toString("utf8") : raw.toString("utf8");
  } catch (e) {
    throw invalid(backup, `not gzip (${(e as Error).message})`);
  }
  if (text.length > 0 && !text.endsWith("\n")) throw invalid(backup, "the last line is unterminated");
  const lines = text.length === 0 ? [] : text.slice(0, -1).split("\n");
  let first = 0;
  let last = 0;
  let prev: string | null = null;
  lines.forEach((line, i) => {
    const p = parseEventLine(line);
    if (!p.ok) throw invalid(backup, p.message, i + 1);
    if (i === 0) first = p.event.seq;
    else if (p.event.seq !== last + 1) throw invalid(backup, `seq ${last} → ${p.event.seq}`, i + 1);
    if (prev !== null && p.event.prev_hash !== undefined && p.event.prev_hash !== hashLine(prev)) {
      throw invalid(backup, "hash chain broken inside the backup", i + 1);
    }
    last = p.event.seq;
    prev = line;
  });
  const lock = acquireLock(paths, { ...options.lock, ...(options.now ? { now: options.now } : {}) });
  try {
    const target =
      kind === "archive" ? archiveSegmentPath(paths, m![1]!, m![2] ? Number(m![2]) : 1) : paths.log;
    let replaced: string | null = null;
    if (existsSync(target)) {
      if (readFileSync(target).equals(raw)) {
        return {
          target,
          kind,
          lines: lines.length,
          first_seq: first,
          last_seq: last,
          replaced: null,
          unchanged: true,
          verify: verifyLog(paths),
        };
      }
      mkdirSync(paths.quarantineDir, { recursive: true });
      const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, "-");
      replaced = join(paths.quarantineDir, `${name}.${stamp}`);
      renameSync(target, replaced);
      fsyncDirSync(paths.quarantineDir);
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileDurableSync(target, `${target}.tmp`, raw);
    return {
      target,
      kind,
      lines: lines.length,
      first_seq: first,
      last_seq: last,
      replaced,
      unchanged: false,
      verify: verifyLog(paths),
    };
  } finally {
    lock.release();
  }
}
