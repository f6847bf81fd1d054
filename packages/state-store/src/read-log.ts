import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EventLine, WeftError } from "@weft/core-schema";
import { nodeZlib } from "./internal/lazy-builtins.js";
import { ARCHIVE_SEGMENT_NAME, type StatePaths } from "./state-paths.js";

/** One file of the event history: an archived segment (gzip) or the live `transitions.jsonl`. */
export interface LogSegment {
  readonly file: string;
  readonly kind: "archive" | "live";
}

/** Archived segments in order (by day, then part), then the live log. Archives first: they are older. */
export function listLogSegments(paths: StatePaths): LogSegment[] {
  const out: LogSegment[] = [];
  if (existsSync(paths.archiveTransitionsDir)) {
    const files: Array<{ key: string; file: string }> = [];
    for (const y of readdirSync(paths.archiveTransitionsDir).sort()) {
      if (!/^\d{4}$/.test(y)) continue;
      for (const m of readdirSync(join(paths.archiveTransitionsDir, y)).sort()) {
        if (!/^\d{2}$/.test(m)) continue;
        for (const name of readdirSync(join(paths.archiveTransitionsDir, y, m))) {
          const match = ARCHIVE_SEGMENT_NAME.exec(name);
          if (match)
            files.push({
              key: `${match[1]}_${match[2] ?? "001"}`,
              file: join(paths.archiveTransitionsDir, y, m, name),
            });
        }
      }
    }
    files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const f of files) out.push({ file: f.file, kind: "archive" });
  }
  if (existsSync(paths.log)) out.push({ file: paths.log, kind: "live" });
  return out;
}

/** A raw line of a segment with its 1-based line number and byte offset. */
export interface RawLine {
  readonly file: string;
  readonly line: number;
  readonly offset: number;
  readonly text: string;
  /** Only for the last line of a file that does not end with a newline (a torn append). */
  readonly unterminated: boolean;
}

/** Reads a segment's bytes (gunzipping archives). A damaged archive → `STATE_ARCHIVE_INVALID`. */
export function readSegmentBytes(segment: LogSegment): Buffer {
  const raw = readFileSync(segment.file);
  if (segment.kind === "live") return raw;
  try {
    return nodeZlib().gunzipSync(raw);
  } catch (e) {
    throw new WeftError(
      "STATE_ARCHIVE_INVALID",
      `archived log segment is not a readable gzip archive (${(e as Error).message})`,
      {
        hint: "restore this segment from a backup (docs/operations/AUDIT_RETENTION.md); weft never rewrites archives",
        details: { file: segment.file },
        cause: e,
      },
    );
  }
}

/** Splits a segment into lines (the last one flagged when unterminated). */
export function* segmentLines(
  segment: LogSegment,
  bytes: Buffer = readSegmentBytes(segment),
): Generator<RawLine> {
  let start = 0;
  let line = 0;
  while (start < bytes.length) {
    const nl = bytes.indexOf(10, start);
    line += 1;
    if (nl === -1) {
      yield {
        file: segment.file,
        line,
        offset: start,
        text: bytes.toString("utf8", start),
        unterminated: true,
      };
      return;
    }
    yield {
      file: segment.file,
      line,
      offset: start,
      text: bytes.toString("utf8", start, nl),
      unterminated: false,
    };
    start = nl + 1;
  }
}

/** The result of parsing one line. */
export type ParsedLine =
  | { readonly ok: true; readonly event: EventLine }
  | { readonly ok: false; readonly message: string; readonly column: number };

/**
 * Parses and validates one log line (STATE-OBS-004). Returns the raw JSON object (not zod's output: key order
 * and unknown fields are kept, so re-serializing gives the same text).
 */
export function parseEventLine(text: string): ParsedLine {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    return {
      ok: false,
      message: `not valid JSON (${(e as Error).message})`,
      column: m ? Number(m[1]) + 1 : 1,
    };
  }
  const r = EventLine.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return {
      ok: false,
      message: `not a valid event: ${issue.path.join(".") || "(root)"}: ${issue.message}`,
      column: 1,
    };
  }
  return { ok: true, event: raw as EventLine };
}

/** One event read from the history, with where it came from. */
export interface LocatedEvent {
  readonly event: EventLine;
  readonly text: string;
  readonly file: string;
  readonly line: number;
}

export interface ReadEventsOptions {
  /** Called for each bad line; without it a bad line throws `STATE_CORRUPT` with file:line. */
  readonly onBadLine?: (line: RawLine, message: string) => void;
}

/**
 * Every event of the history in order — archived segments, then the live log — so queries (`weft events`,
 * `replay`, `explain`, `audit report`) read archives transparently (AUDIT-002). Leading live lines whose seq is
 * already archived (an interrupted rotation) are skipped; an unterminated last line (a torn append) is skipped.
 */
export function* readEvents(paths: StatePaths, options: ReadEventsOptions = {}): Generator<LocatedEvent> {
  let lastSeq = 0;
  for (const segment of listLogSegments(paths)) {
    for (const raw of segmentLines(segment)) {
      if (raw.unterminated) {
        options.onBadLine?.(raw, "unterminated last line (a torn append)");
        continue;
      }
      const p = parseEventLine(raw.text);
      if (!p.ok) {
        if (options.onBadLine === undefined) {
          throw new WeftError("STATE_CORRUPT", `damaged event log line: ${p.message}`, {
            hint: "run `weft audit verify` to list every damaged line",
            details: { file: raw.file, line: raw.line, column: p.column },
          });
        }
        options.onBadLine(raw, p.message);
        continue;
      }
      if (segment.kind === "live" && p.event.seq <= lastSeq) continue;
      lastSeq = Math.max(lastSeq, p.event.seq);
      yield { event: p.event, text: raw.text, file: raw.file, line: raw.line };
    }
  }
}
