import { beforeAll, describe, expect, it } from "vitest";
import {
  buildFixPrompt,
  normalizeGateOutput,
  shouldStopFixing,
  trimToTokenBudget,
} from "./build-fix-prompt.js";
import { loadTokenCounter, type TokenCounter } from "./count-tokens.js";

let countTokens: TokenCounter;
beforeAll(async () => {
  countTokens = await loadTokenCounter();
});

const longOutput = [
  "$ pnpm test",
  "FAIL src/math.test.ts > add",
  ...Array.from({ length: 500 }, (_, i) => `  at frame ${i} (node_modules/lib/file${i}.js:${i}:1)`),
  "AssertionError: expected -1 to be 5",
  "Tests: 1 failed, 9 passed",
].join("\n");

describe("trimToTokenBudget", () => {
  it("keeps short output as is (ANSI removed)", () => {
    expect(trimToTokenBudget("\u001b[31mred\u001b[0m ok", 100, countTokens)).toEqual({
      text: "red ok",
      tokens: countTokens("red ok"),
      omittedLines: 0,
    });
  });
  it("keeps the head and the tail within the budget and says what it left out", () => {
    const t = trimToTokenBudget(longOutput, 200, countTokens);
    expect(t.tokens).toBeLessThanOrEqual(200);
    expect(countTokens(t.text)).toBe(t.tokens);
    expect(t.text.startsWith("$ pnpm test\nFAIL src/math.test.ts > add")).toBe(true);
    expect(t.text.endsWith("AssertionError: expected -1 to be 5\nTests: 1 failed, 9 passed")).toBe(true);
    expect(t.text).toContain(`[… ${t.omittedLines} lines omitted by weft …]`);
    expect(t.omittedLines).toBeGreaterThan(400);
  });
  it("cuts a single huge line (a minified bundle in a stack trace) to fit, keeping its end", () => {
    const line = Array.from({ length: 3000 }, (_, i) => `var a${i}=function(b){return b+${i}}`).join(";");
    const t = trimToTokenBudget(`error in bundle:\n${line}`, 50, countTokens);
    expect(t.tokens).toBeLessThanOrEqual(50);
    expect(t.text.endsWith("return b+2999}")).toBe(true);
  });
});

describe("buildFixPrompt", () => {
  it("names the gate, carries the trimmed output in a fence and the original task", () => {
    const f = buildFixPrompt({
      originalPrompt: "Add subtract()",
      gate: "tests_passing",
      output: longOutput,
      maxOutputTokens: 300,
      countTokens,
      fixAttempt: 2,
    });
    expect(f.prompt).toContain("fails the `tests_passing` check (fix attempt 2)");
    expect(f.prompt).toContain("```\n$ pnpm test");
    expect(f.prompt).toContain("AssertionError: expected -1 to be 5");
    expect(f.prompt.endsWith("The original task was:\n\nAdd subtract()")).toBe(true);
    expect(f.outputTokens).toBeLessThanOrEqual(300);
  });
});

describe("shouldStopFixing", () => {
  const run = (ms: number, at: string) =>
    `# Subtest: add\nnot ok 1 - add\n  duration_ms: ${ms}\n  -1 !== 5\nran at ${at} in ${ms}ms, tmp /tmp/x${ms}/a.js\n# duration_ms ${ms * 7}`;
  it("is false for a single failure and for different failures", () => {
    expect(shouldStopFixing([run(3.01, "2026-01-01T00:00:00Z")])).toBe(false);
    expect(
      shouldStopFixing([
        run(3.01, "2026-01-01T00:00:00Z"),
        run(3.01, "2026-01-01T00:00:00Z").replace("-1 !== 5", "6 !== 5"),
      ]),
    ).toBe(false);
  });
  it("is true when the last two differ only in timings, timestamps and temp paths", () => {
    expect(
      shouldStopFixing([
        "other",
        run(3.01, "2026-01-01T00:00:00.123Z"),
        run(2.53, "2026-01-01T00:00:09.999Z"),
      ]),
    ).toBe(true);
    expect(normalizeGateOutput("\u001b[1mok\u001b[0m   done")).toBe("ok done");
  });
});
