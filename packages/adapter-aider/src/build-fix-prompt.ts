/**
 * PIPELINE fix attempts (SPEC "Execution phases"): when a post-execution gate (lint, types, tests) fails after an
 * `aider` task, the next attempt's prompt carries the gate's failing output, trimmed to a token budget; repeated
 * identical failures stop the fixing early. Pure.
 */
import type { TokenCounter } from "./count-tokens.js";

const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g;

/** A text cut to fit a token budget. */
export interface TrimmedText {
  readonly text: string;
  readonly tokens: number;
  readonly omittedLines: number;
}

function cutLineToTokens(whole: string, maxTokens: number, countTokens: TokenCounter): string {
  // a token rarely spans more than 16 characters: no need to search a longer suffix
  const line = whole.slice(-Math.max(1, maxTokens) * 16);
  let lo = 0;
  let hi = line.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (countTokens(line.slice(line.length - mid)) <= maxTokens) lo = mid;
    else hi = mid - 1;
  }
  return line.slice(line.length - lo);
}

/**
 * Trims `text` to at most `maxTokens` tokens: ANSI codes removed; when too long, the first lines (about a quarter
 * of the budget: the command and the first error) and the last lines (the summary) are kept, with a marker
 * saying how many lines were left out.
 */
export function trimToTokenBudget(text: string, maxTokens: number, countTokens: TokenCounter): TrimmedText {
  const clean = text
    .replace(ANSI, "")
    .replace(/[ \t]+$/gm, "")
    .trim();
  const total = countTokens(clean);
  if (total <= maxTokens) return { text: clean, tokens: total, omittedLines: 0 };
  const lines = clean.split("\n");
  const marker = (n: number) => `[… ${n} lines omitted by weft …]`;
  const markerTokens = countTokens(marker(lines.length)) + 2;
  const budget = Math.max(0, maxTokens - markerTokens);
  const headBudget = Math.floor(budget / 4);
  const head: string[] = [];
  let used = 0;
  for (const line of lines) {
    const t = countTokens(line) + 1;
    if (used + t > headBudget) break;
    head.push(line);
    used += t;
  }
  const tail: string[] = [];
  for (let i = lines.length - 1; i >= head.length; i--) {
    const line = lines[i]!;
    const t = countTokens(line) + 1;
    if (used + t > budget) {
      if (tail.length === 0 && budget - used > 1)
        tail.unshift(cutLineToTokens(line, budget - used - 1, countTokens));
      break;
    }
    tail.unshift(line);
    used += t;
  }
  for (;;) {
    const omitted = lines.length - head.length - tail.length;
    const candidate = [...head, marker(omitted), ...tail].join("\n");
    const tokens = countTokens(candidate);
    if (tokens <= maxTokens || (head.length === 0 && tail.length === 0)) {
      return { text: candidate, tokens, omittedLines: omitted };
    }
    if (tail.length > 0) tail.shift();
    else head.pop();
  }
}

/** Inputs of {@link buildFixPrompt}. */
export interface FixPromptInput {
  /** The task's own prompt (`execution.prompt` or `description`). */
  readonly originalPrompt: string;
  /** The failed gate (rule name such as `tests_passing`). */
  readonly gate: string;
  /** The gate's output (stdout and stderr). */
  readonly output: string;
  /** Budget for the output part of the prompt. */
  readonly maxOutputTokens: number;
  readonly countTokens: TokenCounter;
  /** 1-based number of this fix attempt. */
  readonly fixAttempt?: number | undefined;
}

/** A fix prompt and how much of the gate output it carries. */
export interface FixPrompt {
  readonly prompt: string;
  readonly outputTokens: number;
  readonly omittedLines: number;
}

/** Builds the prompt of a PIPELINE fix attempt: what failed, the (trimmed) failing output, the original task. */
export function buildFixPrompt(input: FixPromptInput): FixPrompt {
  const trimmed = trimToTokenBudget(input.output, input.maxOutputTokens, input.countTokens);
  const fence = trimmed.text.includes("```") ? "~~~~" : "```";
  const prompt = [
    `The change made for this task fails the \`${input.gate}\` check${
      input.fixAttempt !== undefined ? ` (fix attempt ${input.fixAttempt})` : ""
    }. Fix the code so that the check passes, editing only the files in the chat. Keep the task's intent.`,
    "",
    `Output of the failing \`${input.gate}\` check${trimmed.omittedLines > 0 ? " (trimmed)" : ""}:`,
    fence,
    trimmed.text,
    fence,
    "",
    "The original task was:",
    "",
    input.originalPrompt,
  ].join("\n");
  return { prompt, outputTokens: trimmed.tokens, omittedLines: trimmed.omittedLines };
}

/**
 * Normalises gate output for comparison: ANSI codes, timestamps, durations, hex addresses, temp paths and
 * whitespace runs do not make two failures different.
 */
export function normalizeGateOutput(output: string): string {
  return output
    .replace(ANSI, "")
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, "<time>")
    .replace(/\b\d+(?:\.\d+)?\s?(?:ms|s|sec|seconds|µs|us|ns|m)\b/g, "<duration>")
    .replace(/\b((?:duration|time|elapsed)[_a-z]*["']?\s*[:=]?\s*)\d+(?:\.\d+)?/gi, "$1<duration>")
    .replace(/\b0x[0-9a-f]+\b/gi, "<addr>")
    .replace(/\/tmp\/[^\s:'"]+/g, "<tmp>")
    .replace(/[ \t]+/g, " ")
    .replace(/\s*\n\s*/g, "\n")
    .trim();
}

/**
 * PIPELINE "repeated identical failures stop early": true when the latest gate output (last element) is the same
 * failure as the one before it, after {@link normalizeGateOutput}. `previousOutputs` holds the failing outputs of
 * one gate, oldest first, including the latest.
 */
export function shouldStopFixing(previousOutputs: readonly string[]): boolean {
  if (previousOutputs.length < 2) return false;
  const last = normalizeGateOutput(previousOutputs[previousOutputs.length - 1]!);
  const before = normalizeGateOutput(previousOutputs[previousOutputs.length - 2]!);
  return last === before;
}
