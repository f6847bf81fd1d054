import {
  applyEvent,
  createStateModel,
  EVENT_SCHEMA_VERSION,
  type EventDraft,
  type EventLine,
  type StateModel,
  type StateStorePort,
} from "@weft/core-schema";

/** An in-memory StateStorePort (dry runs, unit tests): applies events with the core reducer, keeps lines and logs. */
export interface MemoryStateStore extends StateStorePort {
  readonly events: readonly EventLine[];
  readonly logs: ReadonlyMap<string, string>;
}

/** Creates an in-memory state store; `now` stamps events (inject a clock in tests). */
export function createMemoryStateStore(
  options: { now?: () => Date; model?: StateModel } = {},
): MemoryStateStore {
  const model = options.model ?? createStateModel();
  const now = options.now ?? (() => new Date());
  const events: EventLine[] = [];
  const logs = new Map<string, string>();
  return {
    model,
    events,
    logs,
    commit(drafts: readonly EventDraft[]): readonly EventLine[] {
      const out: EventLine[] = [];
      for (const d of drafts) {
        const seq = model.seq + 1;
        const line = {
          schema_version: EVENT_SCHEMA_VERSION,
          seq,
          event_id: `evt-${seq}`,
          timestamp: now().toISOString(),
          from_state: null,
          to_state: null,
          trigger: null,
          actor: "system",
          metadata: {},
          ...d,
        } as EventLine;
        applyEvent(model, line);
        events.push(line);
        out.push(line);
      }
      return out;
    },
    async flush() {},
    appendTaskLog(taskId, text) {
      logs.set(taskId, (logs.get(taskId) ?? "") + text);
    },
    async close() {},
  };
}
