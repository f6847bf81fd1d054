import { type CompiledResources, REQ_EXCLUSIVE } from "./compile-resources.js";
import { RankHeap, TimeHeap } from "./internal/heap.js";
import { ResourceBook } from "./internal/resource-book.js";
import type { IndexedGraph } from "./task-graph.js";

export interface ScheduleInput {
  readonly graph: IndexedGraph;
  /** Node → seconds. */
  readonly durations: Float64Array;
  /** Node → longest remaining path (`GraphAnalysis.remaining`): ready tasks with more remaining work start first. */
  readonly remaining: Float64Array;
  /** Node → priority, the second key (`GraphAnalysis.priorities`); absent = all 0. Ties then go by id. */
  readonly priorities?: Float64Array | undefined;
  /** Number of workers (execution slots); at least 1. */
  readonly workers: number;
  readonly resources?: CompiledResources | undefined;
}

/** A simulated run: when each task would start and finish, and the makespan. */
export interface Schedule {
  readonly makespan: number;
  readonly start: Float64Array;
  readonly finish: Float64Array;
}

/**
 * Simulates the run with list scheduling (SPEC §8 `total_estimated_duration`): whenever a worker is free, the
 * ready task with the longest remaining path (then the highest priority, then the smallest id) starts, if all its resources can
 * be acquired at once (SPEC §7); a task that cannot waits on the resource that blocked it and is reconsidered when
 * that resource frees up (or, for a token bucket, when enough tokens have refilled). The graph must be acyclic.
 *
 * The result is a valid schedule, so its makespan is at least max(critical path, total work / workers).
 */
export function simulateSchedule(input: ScheduleInput): Schedule {
  const { graph, durations, remaining } = input;
  const priorities = input.priorities ?? new Float64Array(graph.size);
  const n = graph.size;
  const workers = Math.max(1, Math.floor(input.workers));
  const { offsets: so, targets: st } = graph.succ;
  const po = graph.pred.offsets;
  const res = input.resources && input.resources.requestCount > 0 ? input.resources : undefined;
  const book = res ? new ResourceBook(res) : undefined;
  const R = res ? res.ids.length : 0;

  const start = new Float64Array(n);
  const finish = new Float64Array(n);
  const indeg = new Int32Array(n);
  const ready = new RankHeap(remaining, priorities, graph.ids, 1024);
  for (let v = 0; v < n; v++) {
    indeg[v] = po[v + 1]! - po[v]!;
    if (indeg[v] === 0) ready.push(v);
  }
  const running = new TimeHeap(finish, workers);
  const waiters: (RankHeap | undefined)[] = new Array(R);
  const wakeAt = new Float64Array(R).fill(Number.POSITIVE_INFINITY);
  let parked = 0;

  const park = (v: number, r: number, t: number): void => {
    let heap = waiters[r];
    if (!heap) waiters[r] = heap = new RankHeap(remaining, priorities, graph.ids);
    heap.push(v);
    parked++;
    if (res!.isRate[r]) scheduleWake(v, r, t);
  };
  // Moves waiters of `r` back to the ready heap, in priority order, as far as r's room allows.
  const unpark = (r: number, t: number): void => {
    const heap = waiters[r];
    if (!heap || heap.size === 0) return;
    let room = book!.room(r, t);
    let first = true;
    while (heap.size > 0) {
      const w = heap.peek();
      const req = book!.requestOn(w, r);
      if (req) {
        if (req.kind === REQ_EXCLUSIVE && !res!.isRate[r]) {
          if (!first || book!.holders[r]! > 0) break;
          room = 0;
        } else {
          if (req.amount > room + 1e-9) break;
          room -= req.amount;
        }
      }
      heap.pop();
      parked--;
      ready.push(w);
      first = false;
    }
    if (res!.isRate[r] && heap.size > 0) scheduleWake(heap.peek(), r, t);
  };
  // A bucket wakes its first waiter when enough tokens will have refilled for it.
  const scheduleWake = (v: number, r: number, t: number): void => {
    const wait = book!.waitForTokens(r, book!.requestOn(v, r)?.amount ?? 1, t);
    if (t + wait < wakeAt[r]!) wakeAt[r] = t + wait;
  };
  const unparkAll = (): void => {
    for (let r = 0; r < R; r++) {
      const heap = waiters[r];
      while (heap && heap.size > 0) {
        ready.push(heap.pop());
        parked--;
      }
    }
  };
  const freed = (r: number): void => unpark(r, now);

  let now = 0;
  let done = 0;
  let free = workers;
  let force = false;
  while (done < n) {
    while (free > 0 && ready.size > 0) {
      const v = ready.pop();
      if (book && res!.reqOffsets[v]! < res!.reqOffsets[v + 1]!) {
        const b = force ? -1 : book.blocker(v, now);
        if (b >= 0) {
          park(v, b, now);
          continue;
        }
        book.acquire(v, now);
      }
      force = false;
      start[v] = now;
      finish[v] = now + durations[v]!;
      running.push(v);
      free--;
    }
    const nextFinish = running.size > 0 ? finish[running.peek()]! : Number.POSITIVE_INFINITY;
    let wake = Number.POSITIVE_INFINITY;
    for (let r = 0; r < R; r++) if (wakeAt[r]! < wake) wake = wakeAt[r]!;
    if (nextFinish === Number.POSITIVE_INFINITY && wake === Number.POSITIVE_INFINITY) {
      if (parked === 0)
        throw new Error("simulateSchedule: tasks left but none ready (is the graph acyclic?)");
      // Nothing runs and nothing refills: what waits can never be admitted by an event. Start the first one
      // regardless of its resources (only reachable with a bucket that never refills).
      unparkAll();
      force = true;
      continue;
    }
    if (wake <= nextFinish) {
      if (wake > now) now = wake;
      for (let r = 0; r < R; r++) {
        if (wakeAt[r]! <= now) {
          wakeAt[r] = Number.POSITIVE_INFINITY;
          unpark(r, now);
        }
      }
      continue;
    }
    now = nextFinish;
    while (running.size > 0 && finish[running.peek()]! <= now) {
      const v = running.pop();
      done++;
      free++;
      if (book) book.release(v, freed);
      for (let k = so[v]!; k < so[v + 1]!; k++) {
        const w = st[k]!;
        const d = indeg[w]! - 1;
        indeg[w] = d;
        if (d === 0) ready.push(w);
      }
    }
  }
  let makespan = 0;
  for (let v = 0; v < n; v++) if (finish[v]! > makespan) makespan = finish[v]!;
  return { makespan, start, finish };
}
