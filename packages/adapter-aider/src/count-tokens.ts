/**
 * Token counting with a real BPE tokenizer (js-tiktoken; its ranks ship inside the npm package, nothing is
 * downloaded at run time). AIDER-INT-002: budgets are tokens, not characters / 4.
 */
import { Tiktoken } from "js-tiktoken/lite";

/** BPE encodings weft can count with. `o200k_base` is GPT-4o/4.1/5's; `cl100k_base` GPT-4/3.5's. */
export type TokenEncoding = "o200k_base" | "cl100k_base";

/** Counts the tokens of a text. */
export type TokenCounter = (text: string) => number;

const counters = new Map<TokenEncoding, Promise<TokenCounter>>();

async function loadRanks(encoding: TokenEncoding) {
  if (encoding === "cl100k_base") return (await import("js-tiktoken/ranks/cl100k_base")).default;
  return (await import("js-tiktoken/ranks/o200k_base")).default;
}

/** A run of characters without a break longer than this is counted in pieces (see {@link countChunked}). */
const LONG_RUN = /\S{65,}|[^\S\n]{65,}|\n{65,}/g;
const PIECE = 32;

/**
 * BPE merging in js-tiktoken is worse than quadratic on one long pre-token (measured here: 1,000 repeated
 * characters take ~1 s, 4,000 take ~7.6 s), so a minified line or a run of `=` in a listed file could stall an
 * attempt. Runs longer than 64 characters are counted in 32-character pieces (a slight overcount, only for such
 * runs); everything else is counted exactly.
 */
export function countChunked(text: string, encode: (text: string) => number): number {
  if (!LONG_RUN.test(text)) return encode(text);
  LONG_RUN.lastIndex = 0;
  let total = 0;
  let rest = "";
  let last = 0;
  for (const m of text.matchAll(LONG_RUN)) {
    rest += `${text.slice(last, m.index)} `;
    for (let i = 0; i < m[0].length; i += PIECE) total += encode(m[0].slice(i, i + PIECE));
    last = m.index + m[0].length;
  }
  return total + encode(rest + text.slice(last));
}

/**
 * Loads (once per process and encoding; ~0.5–1 s) a counter for `encoding`. Special-token text such as
 * `<|endoftext|>` in a file is counted as ordinary text, never rejected.
 */
export function loadTokenCounter(encoding: TokenEncoding = "o200k_base"): Promise<TokenCounter> {
  let counter = counters.get(encoding);
  if (counter === undefined) {
    counter = loadRanks(encoding).then((ranks) => {
      const tiktoken = new Tiktoken(ranks);
      return (text: string) => countChunked(text, (t) => tiktoken.encode(t, [], []).length);
    });
    counters.set(encoding, counter);
  }
  return counter;
}
