/**
 * Binary heaps of node indices over flat typed arrays. The comparison is a method of each subclass rather than a
 * function passed in, so V8 can inline it: these heaps are the hot path of planning 100,000 tasks.
 */

/** A binary heap of node indices in a growable Int32Array; subclasses define the order. */
abstract class IndexHeap {
  private items: Int32Array;
  private count = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(Math.max(4, capacity));
  }

  /** True when node `a` goes before node `b`. */
  abstract before(a: number, b: number): boolean;

  get size(): number {
    return this.count;
  }

  peek(): number {
    if (this.count === 0) throw new Error("heap.peek on an empty heap");
    return this.items[0]!;
  }

  push(item: number): void {
    if (this.count === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    const items = this.items;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!this.before(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  pop(): number {
    if (this.count === 0) throw new Error("heap.pop on an empty heap");
    const items = this.items;
    const top = items[0]!;
    const last = items[--this.count]!;
    const n = this.count;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        let child = items[l]!;
        if (r < n) {
          const right = items[r]!;
          if (this.before(right, child)) {
            c = r;
            child = right;
          }
        }
        if (!this.before(child, last)) break;
        items[i] = child;
        i = c;
      }
      items[i] = last;
    }
    return top;
  }
}

/**
 * Orders nodes by `primary` descending, then `secondary` descending, then `ids` ascending (code-unit order) —
 * the planning order of SPEC §8 when primary = remaining critical path and secondary = priority.
 */
export class RankHeap extends IndexHeap {
  constructor(
    private readonly primary: Float64Array,
    private readonly secondary: Float64Array,
    private readonly ids: readonly string[],
    capacity = 64,
  ) {
    super(capacity);
  }

  before(a: number, b: number): boolean {
    const pa = this.primary[a]!;
    const pb = this.primary[b]!;
    if (pa !== pb) return pa > pb;
    const sa = this.secondary[a]!;
    const sb = this.secondary[b]!;
    if (sa !== sb) return sa > sb;
    return this.ids[a]! < this.ids[b]!;
  }
}

/** Orders nodes by `time` ascending, then index ascending: the running tasks of a simulation, by finish time. */
export class TimeHeap extends IndexHeap {
  constructor(
    private readonly time: Float64Array,
    capacity = 16,
  ) {
    super(capacity);
  }

  before(a: number, b: number): boolean {
    const ta = this.time[a]!;
    const tb = this.time[b]!;
    return ta < tb || (ta === tb && a < b);
  }
}
