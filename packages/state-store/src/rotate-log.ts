import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { WeftError } from "@weft/core-schema";
import { acquireLock, type LockInfo, type LockOptions } from "./acquire-lock.js";
import { writeFileDurableSync } from "./internal/durable-fs.js";
import { nodeZlib } from "./internal/lazy-builtins.js";
import { loadSnapshot } from "./load-snapshot.js";
import { listLogSegments, parseEventLine, readSegmentBytes, segmentLines } from "./read-log.js";
import {
  ARCHIVE_SEGMENT_NAME,
  archivedTaskLogPath,
  archiveSegmentPath,
  type StatePaths,
  utcDay,
} from "./state-paths.js";

export interface RotateOptions {
  readonly now?: () => Date;
  /** WeftConfig.retention.rotate_max_mb: above this size the live log is closed even mid-day. Default 100. */
  readonly rotateMaxMb?: number;
  /** WeftConfig.retention.task_log_days: task logs of finished tasks older than this are archived. Default 30. */
  readonly taskLogDays?: number;
  readonly lock?: LockOptions;
  /** The caller already holds the `.state` lock (the store's open does, for automatic rotation). */
  readonly lockHeld?: boolean;
}

export interface RotatedSegment {
  readonly file: string;
  readonly day: string;
  readonly lines: number;
  readonly first_seq: number;
  readonly last_seq: number;
}

export interface RotateResult {
  readonly segments: readonly RotatedSegment[];
  /** Lines that stay in the live log (today's, unless the size rule closed them). */
  readonly kept_lines: number;
  /** Live lines dropped because an earlier, interrupted rotation had archived them already. */
  readonly dropped_already_archived: number;
  readonly task_logs_archived: readonly string[];
  readonly size_rule_applied: boolean;
  readonly lock_taken_over: LockInfo | null;
}

function nextPart(paths: StatePaths, day: string): number {
  const dir = dirname(archiveSegmentPath(paths, day));
  if (!existsSync(dir)) return 1;
  let max = 0;
  for (const name of readdirSync(dir)) {
    const m = ARCHIVE_SEGMENT_NAME.exec(name);
    if (m && m[1] === day) max = Math.max(max, m[2] === undefined ? 1 : Number(m[2]));
  }
  return max + 1;
}

function archivedMaxSeq(paths: StatePaths): number {
  let max = 0;
  for (const seg of listLogSegments(paths)) {
    if (seg.kind !== "archive") continue;
    let lastText: string | null = null;
    for (const raw of segmentLines(seg, readSegmentBytes(seg))) if (!raw.unterminated) lastText = raw.text;
    if (lastText !== null) {
      const p = parseEventLine(lastText);
      if (p.ok) max = Math.max(max, p.event.seq);
    }
  }
  return max;
}

/**
 * `weft audit rotate` (AUDIT-002): moves closed, whole segments of the live log to
 * `.state/archive/transitions/YYYY/MM/transitions_YYYYMMDD.jsonl.gz` — every UTC day before today, and, when the
 * live log exceeds `rotateMaxMb`, today's lines too (`transitions_YYYYMMDD_002.jsonl.gz`…). Each archive is
 * written to a temp file, fsynced, read back and compared, then renamed; only then is the live log rewritten
 * (tmp + fsync + rename). A crash in between leaves already-archived lines in the live log, which readers skip
 * and the next rotation drops. Task logs of finished tasks older than `taskLogDays` move to
 * `archive/logs/YYYY/MM/{task_id}.log.gz`. Needs the `.state` lock: refused (`STATE_LOCKED`) while a run is active.
 */
export function rotateLog(paths: StatePaths, options: RotateOptions = {}): RotateResult {
  const now = options.now ?? (() => new Date());
  const maxBytes = (options.rotateMaxMb ?? 100) * 1024 * 1024;
  const lock = options.lockHeld ? null : acquireLock(paths, { ...options.lock, now });
  try {
    const today = utcDay(now().toISOString());
    const already = archivedMaxSeq(paths);
    const segments: RotatedSegment[] = [];
    let kept = 0;
    let dropped = 0;
    let sizeRule = false;
    if (existsSync(paths.log)) {
      const size = statSync(paths.log).size;
      sizeRule = size > maxBytes;
      const byDay = new Map<string, Array<{ text: string; seq: number }>>();
      const keep: string[] = [];
      for (const raw of segmentLines({ file: paths.log, kind: "live" })) {
        const p = parseEventLine(raw.text);
        if (raw.unterminated || !p.ok) {
          throw new WeftError(
            "STATE_CORRUPT",
            `${paths.log}:${raw.line}: ${p.ok ? "unterminated line" : p.message}`,
            {
              hint: "run `weft audit verify`; a torn last line is repaired by the next `weft run` (or open of the state)",
              details: { file: paths.log, line: raw.line },
            },
          );
        }
        if (p.event.seq <= already) {
          dropped += 1;
          continue;
        }
        const day = utcDay(p.event.timestamp);
        if (day < today || sizeRule) {
          const list = byDay.get(day);
          if (list) list.push({ text: raw.text, seq: p.event.seq });
          else byDay.set(day, [{ text: raw.text, seq: p.event.seq }]);
        } else {
          keep.push(raw.text);
        }
      }
      for (const [day, lines] of [...byDay].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const file = archiveSegmentPath(paths, day, nextPart(paths, day));
        mkdirSync(dirname(file), { recursive: true });
        const text = `${lines.map((l) => l.text).join("\n")}\n`;
        const gz = nodeZlib().gzipSync(text);
        if (nodeZlib().gunzipSync(gz).toString("utf8") !== text) throw new Error("gzip round trip failed");
        writeFileDurableSync(file, `${file}.tmp`, gz);
        if (nodeZlib().gunzipSync(readFileSync(file)).toString("utf8") !== text) {
          throw new WeftError("STATE_IO", "the archive read back differs from what was written", {
            details: { file },
          });
        }
        segments.push({
          file,
          day,
          lines: lines.length,
          first_seq: lines[0]!.seq,
          last_seq: lines.at(-1)!.seq,
        });
      }
      if (segments.length > 0 || dropped > 0) {
        writeFileDurableSync(paths.log, `${paths.log}.tmp`, keep.length === 0 ? "" : `${keep.join("\n")}\n`);
      }
      kept = keep.length;
    }
    const archivedLogs = archiveTaskLogs(paths, now(), options.taskLogDays ?? 30);
    return {
      segments,
      kept_lines: kept,
      dropped_already_archived: dropped,
      task_logs_archived: archivedLogs,
      size_rule_applied: sizeRule,
      lock_taken_over: lock?.takenOver ?? null,
    };
  } finally {
    lock?.release();
  }
}

const FINISHED = new Set(["completed", "failed", "cancelled"]);

function archiveTaskLogs(paths: StatePaths, now: Date, days: number): string[] {
  if (!existsSync(paths.logsDir)) return [];
  const loaded = loadSnapshot(paths, { validate: false });
  const status = new Map<string, string>();
  if (loaded.status === "ok") for (const t of loaded.snapshot.tasks) status.set(t.task_id, t.status);
  const cutoff = now.getTime() - days * 86_400_000;
  const day = utcDay(now.toISOString());
  const out: string[] = [];
  for (const name of readdirSync(paths.logsDir).sort()) {
    if (!name.endsWith(".log")) continue;
    const taskId = name.slice(0, -4);
    const s = status.get(taskId);
    if (s !== undefined && !FINISHED.has(s)) continue;
    const file = join(paths.logsDir, name);
    if (statSync(file).mtimeMs > cutoff) continue;
    const target = archivedTaskLogPath(paths, taskId, day);
    mkdirSync(dirname(target), { recursive: true });
    writeFileDurableSync(target, `${target}.tmp`, nodeZlib().gzipSync(readFileSync(file)));
    unlinkSync(file);
    out.push(target);
  }
  return out;
}
