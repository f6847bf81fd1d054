import { closeSync, openSync, readSync, statSync } from "node:fs";
import { type EventLine, SEVERITY_RANK, type Severity } from "@weft/core-schema";
import { parseEventLine, readEvents } from "./read-log.js";
import type { StatePaths } from "./state-paths.js";

/** Filters of `weft events` (all optional, combined with AND). */
export interface EventFilter {
  /** Events about this task (`task_id` or a task `entity_id`). */
  readonly task?: string;
  readonly workstream?: string;
  /** Minimum severity (info < warning < error < critical). */
  readonly severity?: Severity;
  /** ISO-8601, inclusive. */
  readonly since?: string;
  /** ISO-8601, inclusive. */
  readonly until?: string;
  /** Only events with seq greater than this (used by `--follow`). */
  readonly afterSeq?: number;
}

/** True when `e` passes `f`. */
export function matchesFilter(e: EventLine, f: EventFilter): boolean {
  if (f.afterSeq !== undefined && e.seq <= f.afterSeq) return false;
  if (f.task !== undefined && e.task_id !== f.task && !(e.entity_type === "task" && e.entity_id === f.task))
    return false;
  if (
    f.workstream !== undefined &&
    e.workstream_id !== f.workstream &&
    !(e.entity_type === "workstream" && e.entity_id === f.workstream)
  )
    return false;
  if (f.severity !== undefined && SEVERITY_RANK[e.severity] < SEVERITY_RANK[f.severity]) return false;
  if (f.since !== undefined && e.timestamp < f.since) return false;
  if (f.until !== undefined && e.timestamp > f.until) return false;
  return true;
}

/** Events of the whole history (archives + live log) matching the filter, oldest first (AUDIT-002). */
export function* queryEvents(paths: StatePaths, filter: EventFilter = {}): Generator<EventLine> {
  for (const { event } of readEvents(paths)) {
    if (filter.until !== undefined && event.timestamp > filter.until) return;
    if (matchesFilter(event, filter)) yield event;
  }
}

/**
 * New complete lines of the live log from byte `offset` (for `weft events --follow`). When the file shrank (a
 * rotation), reading restarts at 0; callers skip seqs they already printed.
 */
export function readLiveTail(paths: StatePaths, offset: number): { events: EventLine[]; offset: number } {
  let size: number;
  try {
    size = statSync(paths.log).size;
  } catch {
    return { events: [], offset: 0 };
  }
  let from = size < offset ? 0 : offset;
  if (size === from) return { events: [], offset: from };
  const fd = openSync(paths.log, "r");
  try {
    const buf = Buffer.alloc(size - from);
    readSync(fd, buf, 0, buf.length, from);
    const end = buf.lastIndexOf(10);
    if (end === -1) return { events: [], offset: from };
    const events: EventLine[] = [];
    for (const text of buf.toString("utf8", 0, end).split("\n")) {
      const p = parseEventLine(text);
      if (p.ok) events.push(p.event);
    }
    from += end + 1;
    return { events, offset: from };
  } finally {
    closeSync(fd);
  }
}
