/**
 * Tokens and cost of an attempt: exact integers from Aider's analytics log (`message_send` events), falling back
 * to the printed `Tokens: … Cost: …` lines (abbreviated, e.g. `2.3k`) when the log has none (AIDER.md).
 */
import { readFile } from "node:fs/promises";
import type { AttemptUsage } from "./aider-result.js";
import type { TokenLine } from "./parse-aider-output.js";

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** Sums the `message_send` events of an analytics JSONL text; null when it holds none. Bad lines are skipped. */
export function usageFromAnalytics(text: string): AttemptUsage | null {
  let tokens = 0;
  let cost = 0;
  let priced = false;
  let calls = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let entry: { event?: unknown; properties?: Record<string, unknown> };
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (entry.event !== "message_send" || typeof entry.properties !== "object" || entry.properties === null)
      continue;
    const p = entry.properties;
    calls++;
    tokens += num(p.total_tokens) ?? (num(p.prompt_tokens) ?? 0) + (num(p.completion_tokens) ?? 0);
    const c = num(p.cost);
    if (c !== undefined) {
      cost += c;
      priced = true;
    }
  }
  if (calls === 0) return null;
  return {
    tokensUsed: Math.round(tokens),
    costUsd: priced ? roundCost(cost) : undefined,
    source: "analytics_log",
    calls,
  };
}

/** Sums the printed `Tokens:` lines. */
export function usageFromTokenLines(lines: readonly TokenLine[]): AttemptUsage {
  if (lines.length === 0) return { tokensUsed: 0, costUsd: undefined, source: "none", calls: 0 };
  const priced = lines.some((l) => l.messageCost !== null);
  return {
    tokensUsed: lines.reduce((sum, l) => sum + l.sent + l.received, 0),
    costUsd: priced ? roundCost(lines.reduce((sum, l) => sum + (l.messageCost ?? 0), 0)) : undefined,
    source: "tokens_lines",
    calls: lines.length,
  };
}

function roundCost(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

/** Reads the analytics log at `file` (missing file = no events), else falls back to `lines`. */
export async function readUsage(file: string, lines: readonly TokenLine[]): Promise<AttemptUsage> {
  const text = await readFile(file, "utf8").catch(() => "");
  return usageFromAnalytics(text) ?? usageFromTokenLines(lines);
}
