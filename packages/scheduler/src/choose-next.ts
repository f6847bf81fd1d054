/** The ordering key of a ready task (SPEC §8 decision). */
export interface ReadyKey {
  readonly id: string;
  /** Longest remaining weighted path starting at the task, its own estimate included. */
  readonly remaining: number;
  readonly priority: number;
}

/** True when `a` should start before `b`: longest remaining critical path, then priority, then id. Pure. */
export function runsBefore(a: ReadyKey, b: ReadyKey): boolean {
  if (a.remaining !== b.remaining) return a.remaining > b.remaining;
  if (a.priority !== b.priority) return a.priority > b.priority;
  return a.id < b.id;
}

/**
 * The ready queue: a binary heap ordered by {@link runsBefore}. push/pop are O(log n), so the ready → running path
 * never scans all tasks (DESIGN §6).
 */
export class ReadyHeap<T extends ReadyKey> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!runsBefore(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < a.length && runsBefore(a[l]!, a[best]!)) best = l;
        if (r < a.length && runsBefore(a[r]!, a[best]!)) best = r;
        if (best === i) break;
        [a[i], a[best]] = [a[best]!, a[i]!];
        i = best;
      }
    }
    return top;
  }

  /** Removes items matching `pred` (O(n); used only for cancellation). */
  removeWhere(pred: (item: T) => boolean): T[] {
    const removed = this.items.filter(pred);
    if (removed.length === 0) return removed;
    const kept = this.items.filter((x) => !pred(x));
    this.items.length = 0;
    for (const x of kept) this.push(x);
    return removed;
  }
}

/**
 * Picks the next task to start among `ready` (pure): the first in {@link runsBefore} order that `canStart` accepts.
 * Returns undefined when none can start now.
 */
export function chooseNext<T extends ReadyKey>(
  ready: readonly T[],
  canStart: (t: T) => boolean,
): T | undefined {
  let best: T | undefined;
  for (const t of ready) if (canStart(t) && (best === undefined || runsBefore(t, best))) best = t;
  return best;
}
