import { ResourceEntry } from "@weft/core-schema";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ResourcePool } from "./resource-pool.js";

const R = (x: Record<string, unknown>) => ResourceEntry.parse(x);
const entries = [
  R({ ResourceId: "db", Type: "exclusive", MaxHolders: 1 }),
  R({ ResourceId: "cache", Type: "shared", MaxHolders: 2, Metadata: { ConflictsWith: ["db"] } }),
  R({ ResourceId: "gpu", Type: "pooled", MaxHolders: 4 }),
  R({ ResourceId: "api", Type: "rate_limited", MaxHolders: 3, RefillRate: "1/second" }),
  R({ ResourceId: "port", Type: "exclusive", MaxHolders: 1, Metadata: { Scope: "workstream" } }),
];

describe("ResourcePool (CONC-REG-001/002, SPEC §7)", () => {
  it("exclusive: sole holder", () => {
    const p = new ResourcePool(entries, 0);
    expect(p.acquire("a", "w", { db: "exclusive" }, 0).ok).toBe(true);
    expect(p.acquire("b", "w", { db: "exclusive" }, 0).ok).toBe(false);
    p.release("a");
    expect(p.acquire("b", "w", { db: "exclusive" }, 0).ok).toBe(true);
  });
  it("shared: up to MaxHolders, excluded by an exclusive holder of a conflicting resource (symmetric)", () => {
    const p = new ResourcePool(entries, 0);
    expect(p.acquire("a", "w", { cache: "shared" }, 0).ok).toBe(true);
    expect(p.acquire("b", "w", { cache: "shared" }, 0).ok).toBe(true);
    expect(p.acquire("c", "w", { cache: "shared" }, 0).ok).toBe(false);
    expect(p.acquire("d", "w", { db: "exclusive" }, 0).ok).toBe(false); // db conflicts with cache, which is in use
    p.release("a");
    p.release("b");
    expect(p.acquire("d", "w", { db: "exclusive" }, 0).ok).toBe(true);
    expect(p.acquire("e", "w", { cache: "shared" }, 0).ok).toBe(false);
  });
  it("pooled units and all-or-nothing acquisition", () => {
    const p = new ResourcePool(entries, 0);
    expect(p.acquire("a", "w", { gpu: 3 }, 0).ok).toBe(true);
    const r = p.acquire("b", "w", { db: "exclusive", gpu: 2 }, 0);
    expect(r.ok).toBe(false);
    expect(p.usage("db")?.holders ?? 0).toBe(0); // nothing partially taken
    expect(p.acquire("c", "w", { gpu: 1 }, 0).ok).toBe(true);
  });
  it("rate-limited tokens refill with the injected clock and report when to retry", () => {
    const p = new ResourcePool(entries, 0);
    expect(p.acquire("a", "w", { api: 3 }, 0).ok).toBe(true);
    p.release("a");
    const r = p.acquire("b", "w", { api: 2 }, 500);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.retryAtMs).toBe(2000);
    expect(p.acquire("b", "w", { api: 2 }, 2000).ok).toBe(true);
  });
  it("Scope workstream: one instance per workstream", () => {
    const p = new ResourcePool(entries, 0);
    expect(p.acquire("a", "w1", { port: "exclusive" }, 0).ok).toBe(true);
    expect(p.acquire("b", "w2", { port: "exclusive" }, 0).ok).toBe(true);
    expect(p.acquire("c", "w1", { port: "exclusive" }, 0).ok).toBe(false);
    expect(p.keyOf("port", "w2")).toBe("port@w2");
  });
  it("reports requests that can never be met", () => {
    const p = new ResourcePool(entries, 0);
    expect(p.unsatisfiable({ gpu: 5 })).toMatch(/MaxHolders is 4/);
    expect(p.unsatisfiable({ nope: "shared" })).toMatch(/unknown resource/);
    expect(p.unsatisfiable({ gpu: 4, db: "exclusive" })).toBeNull();
  });
  it("property: never over-allocated, acquisitions are all-or-nothing", () => {
    const req = fc.oneof(
      fc.record({ db: fc.constant("exclusive" as const) }),
      fc.record({ cache: fc.constant("shared" as const) }),
      fc.record({ gpu: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ gpu: fc.integer({ min: 1, max: 2 }), cache: fc.constant("shared" as const) }),
      fc.record({ api: fc.integer({ min: 1, max: 3 }), db: fc.constant("exclusive" as const) }),
    );
    const op = fc.oneof(
      fc.record({ kind: fc.constant("acq" as const), req, ws: fc.constantFrom("w1", "w2") }),
      fc.record({ kind: fc.constant("rel" as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const p = new ResourcePool(entries, 0);
        const holding: string[] = [];
        let clock = 0;
        ops.forEach((o, i) => {
          clock += 100;
          if (o.kind === "acq") {
            const id = `t${i}`;
            const snap = (k: string) => {
              const u = p.usage(k)!;
              return `${u.holders}/${u.exclusive}/${u.units}`; // tokens may refill with time, never drop on failure
            };
            const before = p.allKeys().map(snap);
            const r = p.acquire(id, o.ws, o.req, clock);
            if (r.ok) holding.push(id);
            else expect(p.heldBy(id)).toEqual([]);
            if (!r.ok) expect(p.allKeys().slice(0, before.length).map(snap)).toEqual(before);
          } else if (holding.length > 0) {
            p.release(holding.splice(o.pick % holding.length, 1)[0]!);
          }
          for (const k of p.allKeys()) {
            const u = p.usage(k)!;
            expect(u.exclusive).toBeLessThanOrEqual(1);
            if (u.exclusive === 1) expect(u.holders).toBe(1);
            expect(u.units).toBeLessThanOrEqual(u.capacity);
            expect(u.tokens).toBeGreaterThanOrEqual(0);
            if (k === "cache") expect(u.holders).toBeLessThanOrEqual(2);
          }
          const db = p.usage("db");
          const cache = p.usage("cache");
          if (db && cache && db.exclusive > 0) expect(cache.holders).toBe(0);
        });
      }),
      { numRuns: 200 },
    );
  });
});
