import { describe, expect, it } from "vitest";
import { computeBackoffSeconds, computeJitter } from "./backoff.js";

describe("computeBackoffSeconds (SM-DEF-001, SPEC §4)", () => {
  const opts = { baseDelaySeconds: 10, maxDelaySeconds: 300 };
  it("doubles per retry within ±20% and caps at the maximum", () => {
    for (let n = 1; n <= 8; n++) {
      const raw = Math.min(300, 10 * 2 ** (n - 1));
      const d = computeBackoffSeconds("t1", n, opts);
      expect(d).toBeGreaterThanOrEqual(raw * 0.8);
      expect(d).toBeLessThanOrEqual(raw * 1.2);
    }
    expect(computeBackoffSeconds("t1", 20, opts)).toBeLessThanOrEqual(360);
  });
  it("jitter is deterministic per (task_id, n) and differs between tasks", () => {
    expect(computeJitter("a", 1)).toBe(computeJitter("a", 1));
    const values = new Set(["a", "b", "c", "d", "e"].map((t) => computeJitter(t, 1)));
    expect(values.size).toBeGreaterThan(1);
  });
  it("rejects retry numbers below 1", () => {
    expect(() => computeBackoffSeconds("t", 0, opts)).toThrow();
  });
});
