import { describe, expect, it } from "vitest";
import { formatAttemptHeader, splitTaskLog } from "./task-log.js";

describe("task logs: attempts delimited", () => {
  it("splits on weft's attempt headers (ours and the scheduler's, with a fix suffix)", () => {
    const text =
      "preamble\n" +
      formatAttemptHeader("t1", 1, "2026-01-01T00:00:00.000Z", "w1") +
      "one\n" +
      "\n===== weft: attempt 2 of t1 (worker w2) at 2026-01-01T00:01:00.000Z — fix 1 for gate 'no_lint_errors' =====\n" +
      "----- weft: gate 'no_lint_errors': pnpm lint\n" +
      "two\n";
    const parts = splitTaskLog(text);
    expect(parts.map((p) => [p.attempt, p.started_at])).toEqual([
      [0, ""],
      [1, "2026-01-01T00:00:00.000Z"],
      [2, "2026-01-01T00:01:00.000Z"],
    ]);
    expect(parts[2]!.lines).toEqual(["----- weft: gate 'no_lint_errors': pnpm lint", "two"]);
  });
});
