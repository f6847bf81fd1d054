import {
  applyEvent,
  type CurrentState,
  createStateModel,
  type EventLine,
  snapshotFromModel,
} from "@weft/core-schema";
import { readEvents } from "./read-log.js";
import type { StatePaths } from "./state-paths.js";

/** Where to stop a replay: at a moment (ISO-8601 UTC, inclusive) or after a seq. */
export type ReplayPoint = { readonly at: string } | { readonly seq: number };

export interface ReplayResult {
  /** The state as it was (`recent_events`: the last `recent` events up to that point). */
  readonly state: CurrentState;
  /** Events applied. */
  readonly events: number;
  /** The first event after the point (null if the history ends there). */
  readonly next: EventLine | null;
}

/**
 * The state at a past moment (AUDIT-001, `weft replay --at`): replays the history — archived segments and the
 * live log, transparently — through the same reducer the orchestrator uses, stopping after the last event
 * stamped at or before `at` (timestamps never decrease in the log), so it equals the snapshot the run had then.
 */
export function replayAt(paths: StatePaths, point: ReplayPoint, recent = 20): ReplayResult {
  const model = createStateModel();
  const tail: EventLine[] = [];
  let count = 0;
  let next: EventLine | null = null;
  for (const { event } of readEvents(paths)) {
    const past = "at" in point ? event.timestamp > point.at : event.seq > point.seq;
    if (past) {
      next = event;
      break;
    }
    applyEvent(model, event);
    count += 1;
    if (recent > 0) {
      tail.push(event);
      if (tail.length > recent) tail.shift();
    }
  }
  return { state: snapshotFromModel(model, tail), events: count, next };
}
