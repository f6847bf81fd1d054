import type {
  ByStatusIndex,
  ByWorkerIndex,
  ByWorkstreamIndex,
  StateModel,
  TaskRecord,
  WorkerRecord,
  WorkstreamRecord,
} from "@weft/core-schema";
import { STATE_SCHEMA_VERSION } from "@weft/core-schema";

/** The three indices of STATE-OBS-005, derived from one state (same `source_seq` / `source_timestamp`). */
export interface StateIndices {
  readonly byWorkstream: ByWorkstreamIndex;
  readonly byStatus: ByStatusIndex;
  readonly byWorker: ByWorkerIndex;
}

interface StateLike {
  readonly seq: number;
  readonly timestamp: string;
  readonly tasks: Iterable<TaskRecord>;
  readonly workstreams: Iterable<WorkstreamRecord>;
  readonly workers: Iterable<WorkerRecord>;
}

/** Adapts a model (Maps) to {@link computeIndices}' input. */
export function stateLikeOfModel(model: StateModel): StateLike {
  return {
    seq: model.seq,
    timestamp: model.timestamp,
    tasks: model.tasks.values(),
    workstreams: model.workstreams.values(),
    workers: model.workers.values(),
  };
}

/**
 * Computes `by_workstream`, `by_status` and `by_worker` (STATE-OBS-005). Pure and idempotent (STATE-OBS-006):
 * the same state gives the same indices, except `generated_at`.
 */
export function computeIndices(state: StateLike, generatedAt: string): StateIndices {
  const common = {
    schema_version: STATE_SCHEMA_VERSION,
    generated_at: generatedAt,
    source_seq: state.seq,
    source_timestamp: state.timestamp,
  } as const;
  const workstreams: ByWorkstreamIndex["workstreams"] = {};
  for (const ws of state.workstreams) {
    workstreams[ws.workstream_id] = { status: ws.status, tasks: [], counts: {} };
  }
  const statuses: Record<string, string[]> = {};
  const workers: ByWorkerIndex["workers"] = {};
  for (const w of state.workers) {
    workers[w.worker_id] = { status: w.status, current_task: w.current_task, tasks: [] };
  }
  for (const t of state.tasks) {
    let ws = workstreams[t.workstream_id];
    if (ws === undefined) {
      ws = { status: "unknown", tasks: [], counts: {} };
      workstreams[t.workstream_id] = ws;
    }
    ws.tasks.push(t.task_id);
    ws.counts[t.status] = (ws.counts[t.status] ?? 0) + 1;
    const list = statuses[t.status];
    if (list === undefined) statuses[t.status] = [t.task_id];
    else list.push(t.task_id);
    if (t.assigned_worker !== null) {
      let w = workers[t.assigned_worker];
      if (w === undefined) {
        w = { status: "unknown", current_task: null, tasks: [] };
        workers[t.assigned_worker] = w;
      }
      w.tasks.push(t.task_id);
    }
  }
  return {
    byWorkstream: { ...common, workstreams },
    byStatus: { ...common, statuses },
    byWorker: { ...common, workers },
  };
}
