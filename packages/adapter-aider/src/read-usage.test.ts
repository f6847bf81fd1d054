import { describe, expect, it } from "vitest";
import { parseAiderOutput } from "./parse-aider-output.js";
import { usageFromAnalytics, usageFromTokenLines } from "./read-usage.js";

describe("usage", () => {
  it("sums message_send events from the analytics log (exact integers), skipping other events and bad lines", () => {
    const log = [
      JSON.stringify({ event: "launched", properties: {} }),
      JSON.stringify({
        event: "message_send",
        properties: {
          prompt_tokens: 2345,
          completion_tokens: 145,
          total_tokens: 2490,
          cost: 0.0091,
          total_cost: 0.0091,
        },
      }),
      "{not json",
      JSON.stringify({
        event: "message_send",
        properties: { prompt_tokens: 100, completion_tokens: 10, cost: 0.001, total_cost: 0.0101 },
      }),
    ].join("\n");
    expect(usageFromAnalytics(log)).toEqual({
      tokensUsed: 2600,
      costUsd: 0.0101,
      source: "analytics_log",
      calls: 2,
    });
    expect(usageFromAnalytics("")).toBeNull();
  });

  it("falls back to the printed Tokens: lines (abbreviated), without cost for unpriced models", () => {
    const parsed = parseAiderOutput(
      "Tokens: 2.3k sent, 145 received. Cost: $0.0091 message, $0.0091 session.\nTokens: 12k sent, 1.1k cache hit, 1.0k received.\n",
    );
    expect(usageFromTokenLines(parsed.tokenLines)).toEqual({
      tokensUsed: 2300 + 145 + 12000 + 1000,
      costUsd: 0.0091,
      source: "tokens_lines",
      calls: 2,
    });
    expect(
      usageFromTokenLines(parseAiderOutput("Tokens: 500 sent, 20 received.\n").tokenLines).costUsd,
    ).toBeUndefined();
  });
});
