import type { StateModel } from "./apply-event.js";
import type { EventDraft, EventLine } from "./event-line.js";

/**
 * What the scheduler needs from a state store (DESIGN §1: the scheduler receives the store as an interface;
 * `@weft/state-store` implements it, `apps/weft` wires it).
 */
export interface StateStorePort {
  /** The live state. Read-only for callers: it changes only through {@link StateStorePort.commit}. */
  readonly model: Readonly<StateModel>;
  /**
   * Assigns seq/event_id/timestamp to the drafts, applies them to the model at once (synchronously) and schedules
   * their group commit (STATE-OBS-003: snapshot then log, within `state.group_commit_ms`). Returns the lines.
   */
  commit(drafts: readonly EventDraft[]): readonly EventLine[];
  /** Resolves when every event committed so far is durable (snapshot renamed, log appended and fdatasync'ed). */
  flush(): Promise<void>;
  /** Appends text to `.state/logs/{task_id}.log` (attempts are delimited by the caller's header lines). */
  appendTaskLog(taskId: string, text: string): void;
  /**
   * The file behind {@link StateStorePort.appendTaskLog}, when there is one: another process (the spawn launcher)
   * may append a command's output to it directly. Appends through `appendTaskLog` must then be synchronous, so the
   * two writers stay in order.
   */
  taskLogFile?(taskId: string): string;
  /** Flushes, releases the lock and closes files. */
  close(): Promise<void>;
}
