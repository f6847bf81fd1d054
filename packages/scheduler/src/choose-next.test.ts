import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chooseNext, ReadyHeap, runsBefore } from "./choose-next.js";

const key = fc.record({
  id: fc.string({ minLength: 1, maxLength: 4 }),
  remaining: fc.integer({ min: 0, max: 5 }),
  priority: fc.integer({ min: -2, max: 2 }),
});

describe("ready queue order (SPEC §8): longest remaining path, then priority, then id", () => {
  it("runsBefore orders by remaining, then priority, then id", () => {
    expect(runsBefore({ id: "z", remaining: 10, priority: 0 }, { id: "a", remaining: 5, priority: 9 })).toBe(
      true,
    );
    expect(runsBefore({ id: "z", remaining: 5, priority: 2 }, { id: "a", remaining: 5, priority: 1 })).toBe(
      true,
    );
    expect(runsBefore({ id: "a", remaining: 5, priority: 1 }, { id: "b", remaining: 5, priority: 1 })).toBe(
      true,
    );
  });
  it("the heap pops in the same order as sorting (property)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(key, { selector: (k) => k.id, maxLength: 60 }), (items) => {
        const heap = new ReadyHeap<(typeof items)[number]>();
        for (const x of items) heap.push(x);
        const popped: string[] = [];
        while (heap.size > 0) popped.push(heap.pop()!.id);
        const sorted = [...items]
          .sort((a, b) => (runsBefore(a, b) ? -1 : runsBefore(b, a) ? 1 : 0))
          .map((x) => x.id);
        expect(popped).toEqual(sorted);
      }),
    );
  });
  it("chooseNext skips tasks that cannot start", () => {
    const ready = [
      { id: "a", remaining: 9, priority: 0 },
      { id: "b", remaining: 3, priority: 0 },
    ];
    expect(chooseNext(ready, (t) => t.id !== "a")?.id).toBe("b");
    expect(chooseNext(ready, () => false)).toBeUndefined();
  });
  it("removeWhere keeps heap order", () => {
    const heap = new ReadyHeap<{ id: string; remaining: number; priority: number }>();
    for (const id of ["c", "a", "d", "b"]) heap.push({ id, remaining: 0, priority: 0 });
    heap.removeWhere((x) => x.id === "b");
    expect([heap.pop()!.id, heap.pop()!.id, heap.pop()!.id]).toEqual(["a", "c", "d"]);
  });
});
