import { applyEvent, createStateModel, type EventLine, type StateModel, WeftError } from "@weft/core-schema";
import { hashLine } from "./append-log.js";
import { listLogSegments, parseEventLine, segmentLines } from "./read-log.js";
import type { StatePaths } from "./state-paths.js";

/** What replaying the whole history (archives + live log) gave. */
export interface HistoryScan {
  /** The state the log replays to (STATE-OBS-002). */
  readonly model: StateModel;
  readonly lastSeq: number;
  readonly lastLineText: string | null;
  /** The last `keep` line texts (to seed `recent_events`). */
  readonly recentTexts: string[];
  /** Size in bytes of the valid prefix of the live log (where a torn last line starts), or null. */
  readonly liveValidBytes: number | null;
  /** A torn (unterminated or unparsable) last line of the live log; the caller cuts it. */
  readonly tornLine: { readonly line: number; readonly bytes: number; readonly offset: number } | null;
  /** An unterminated last line that is a valid next event: kept (the caller adds its newline). */
  readonly completedLastLine: boolean;
  /** Live lines skipped because their seq was already archived (an interrupted rotation). */
  readonly rotationLeftovers: number;
  readonly lines: number;
}

function corrupt(file: string, line: number, column: number, message: string): WeftError {
  return new WeftError("STATE_CORRUPT", `damaged event log: ${message}`, {
    hint:
      "a recorded event is damaged in the middle of the log, so weft refuses to write: run `weft audit verify`, " +
      "then restore the file from a backup (docs/operations/AUDIT_RETENTION.md); weft never drops recorded events",
    details: { file, line, column },
  });
}

/**
 * Replays the full event history for recovery and checks its continuity (AUDIT-001): every line valid, `seq`
 * strictly +1, the hash chain intact. A damaged line anywhere but at the very end of the live log is refused
 * (`STATE_CORRUPT` with file:line); a damaged or unterminated LAST line is a torn append and is reported for
 * cutting (its event, if acknowledged, is still in the snapshot's `recent_events`).
 */
export function scanHistory(paths: StatePaths, keep: number): HistoryScan {
  const model = createStateModel();
  let lastSeq = 0;
  let lastLineText: string | null = null;
  let archivedMax = 0;
  const recent: string[] = [];
  let tornLine: HistoryScan["tornLine"] = null;
  let liveValidBytes: number | null = null;
  let completedLastLine = false;
  let rotationLeftovers = 0;
  let lines = 0;
  const accept = (event: EventLine, text: string) => {
    applyEvent(model, event);
    lastSeq = event.seq;
    lastLineText = text;
    recent.push(text);
    if (recent.length > keep * 2) recent.splice(0, recent.length - keep);
    lines += 1;
  };
  for (const segment of listLogSegments(paths)) {
    const isLive = segment.kind === "live";
    const all = [...segmentLines(segment)];
    for (let i = 0; i < all.length; i++) {
      const raw = all[i]!;
      const isLast = isLive && i === all.length - 1;
      const p = parseEventLine(raw.text);
      if (!p.ok || raw.unterminated) {
        if (isLast) {
          if (p.ok && raw.unterminated && p.event.seq === lastSeq + 1 && chainOk(p.event, lastLineText)) {
            completedLastLine = true;
            accept(p.event, raw.text);
            continue;
          }
          tornLine = { line: raw.line, bytes: Buffer.byteLength(raw.text), offset: raw.offset };
          liveValidBytes = raw.offset;
          continue;
        }
        if (!p.ok) throw corrupt(raw.file, raw.line, p.column, p.message);
        throw corrupt(raw.file, raw.line, 1, "unterminated line in the middle of a segment");
      }
      const e = p.event;
      if (isLive && e.seq <= archivedMax && lastSeq === archivedMax) {
        rotationLeftovers += 1;
        continue;
      }
      if (e.seq !== lastSeq + 1) {
        const what =
          e.seq <= lastSeq
            ? `duplicated seq ${e.seq} (already at ${lastSeq})`
            : `seq gap: ${lastSeq} → ${e.seq}`;
        throw corrupt(raw.file, raw.line, 1, what);
      }
      if (!chainOk(e, lastLineText)) {
        throw corrupt(
          raw.file,
          raw.line,
          1,
          `hash chain broken: prev_hash does not match the previous line (seq ${e.seq})`,
        );
      }
      accept(e, raw.text);
    }
    if (!isLive) archivedMax = lastSeq;
  }
  return {
    model,
    lastSeq,
    lastLineText,
    recentTexts: recent.slice(-keep),
    liveValidBytes,
    tornLine,
    completedLastLine,
    rotationLeftovers,
    lines,
  };
}

function chainOk(e: EventLine, previous: string | null): boolean {
  return e.prev_hash === undefined || previous === null || e.prev_hash === hashLine(previous);
}
