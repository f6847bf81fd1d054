import { hashLine } from "./append-log.js";
import { listLogSegments, parseEventLine, readSegmentBytes, segmentLines } from "./read-log.js";
import { issue, type StateIssue } from "./state-issue.js";
import type { StatePaths } from "./state-paths.js";

export interface SegmentSummary {
  readonly file: string;
  readonly kind: "archive" | "live";
  readonly lines: number;
  readonly first_seq: number | null;
  readonly last_seq: number | null;
  readonly readable: boolean;
}

/** The result of `weft audit verify` (AUDIT-001/002). */
export interface VerifyResult {
  readonly ok: boolean;
  readonly events: number;
  readonly last_seq: number;
  readonly hash_chained: number;
  readonly segments: readonly SegmentSummary[];
  readonly issues: readonly StateIssue[];
}

const RESTORE_HINT = "restore the file from a backup (docs/operations/AUDIT_RETENTION.md)";

/**
 * Verifies the whole history, archives included (AUDIT-001): every line valid (STATE-OBS-004), `seq` strictly +1
 * with no gaps or duplicates, unique `event_id`s, non-decreasing timestamps, the `prev_hash` chain intact, every
 * archive readable gzip. Reports every problem (it does not stop at the first) and never modifies anything.
 */
export function verifyLog(paths: StatePaths): VerifyResult {
  const issues: StateIssue[] = [];
  const segments: SegmentSummary[] = [];
  const ids = new Set<string>();
  let lastSeq = 0;
  let lastText: string | null = null;
  let lastTs = "";
  let events = 0;
  let chained = 0;
  let archivedMax = 0;
  for (const segment of listLogSegments(paths)) {
    let bytes: Buffer;
    try {
      bytes = readSegmentBytes(segment);
    } catch (e) {
      issues.push(issue("AUDIT-002", "error", segment.file, (e as Error).message, RESTORE_HINT));
      segments.push({
        file: segment.file,
        kind: segment.kind,
        lines: 0,
        first_seq: null,
        last_seq: null,
        readable: false,
      });
      lastText = null;
      continue;
    }
    let first: number | null = null;
    let last: number | null = null;
    let lines = 0;
    for (const raw of segmentLines(segment, bytes)) {
      lines += 1;
      if (raw.unterminated) {
        issues.push(
          issue(
            "STATE-OBS-003",
            segment.kind === "live" ? "warning" : "error",
            raw.file,
            "unterminated last line (a torn append)",
            segment.kind === "live"
              ? "the next `weft run` cuts it and re-appends the event from current.json's recent_events"
              : RESTORE_HINT,
            raw.line,
            1,
          ),
        );
        continue;
      }
      const p = parseEventLine(raw.text);
      if (!p.ok) {
        issues.push(issue("STATE-OBS-004", "error", raw.file, p.message, RESTORE_HINT, raw.line, p.column));
        lastText = null;
        continue;
      }
      const e = p.event;
      if (segment.kind === "live" && e.seq <= archivedMax && lastSeq === archivedMax) {
        issues.push(
          issue(
            "AUDIT-002",
            "warning",
            raw.file,
            `seq ${e.seq} is already archived (an interrupted rotation left it in the live log)`,
            "run `weft audit rotate` again; it drops the already-archived lines",
            raw.line,
            1,
          ),
        );
        continue;
      }
      events += 1;
      first ??= e.seq;
      last = e.seq;
      if (e.seq !== lastSeq + 1) {
        const msg =
          e.seq <= lastSeq
            ? `duplicated seq ${e.seq} (previous line had ${lastSeq})`
            : `seq gap: ${lastSeq} → ${e.seq}`;
        issues.push(issue("AUDIT-001", "error", raw.file, msg, RESTORE_HINT, raw.line, 1));
      }
      if (ids.has(e.event_id)) {
        issues.push(
          issue(
            "STATE-OBS-004",
            "error",
            raw.file,
            `duplicated event_id ${e.event_id}`,
            RESTORE_HINT,
            raw.line,
            1,
          ),
        );
      }
      ids.add(e.event_id);
      if (e.timestamp < lastTs) {
        issues.push(
          issue(
            "STATE-OBS-004",
            "warning",
            raw.file,
            `timestamp ${e.timestamp} is earlier than the previous line's ${lastTs}`,
            "replay --at treats the log as time-ordered",
            raw.line,
            1,
          ),
        );
      }
      if (e.prev_hash !== undefined) {
        chained += 1;
        if (lastText !== null && e.prev_hash !== hashLine(lastText)) {
          issues.push(
            issue(
              "AUDIT-001",
              "error",
              raw.file,
              `hash chain broken at seq ${e.seq}: prev_hash does not match the previous line (edited or removed line)`,
              RESTORE_HINT,
              raw.line,
              1,
            ),
          );
        }
      }
      lastSeq = Math.max(lastSeq, e.seq);
      lastTs = e.timestamp > lastTs ? e.timestamp : lastTs;
      lastText = raw.text;
    }
    if (segment.kind === "archive") archivedMax = lastSeq;
    segments.push({
      file: segment.file,
      kind: segment.kind,
      lines,
      first_seq: first,
      last_seq: last,
      readable: true,
    });
  }
  return {
    ok: !issues.some((i) => i.severity === "error"),
    events,
    last_seq: lastSeq,
    hash_chained: chained,
    segments,
    issues,
  };
}
