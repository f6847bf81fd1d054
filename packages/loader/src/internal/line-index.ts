import type { SourcePosition } from "../located-document.js";

/**
 * Offset → line/column for one text. Line breaks are `\r\n`, `\n` and a lone `\r` (as editors count them).
 * Built on first use; lookups are a binary search.
 */
export class LineIndex {
  #starts: number[] | undefined;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  #lineStarts(): number[] {
    if (this.#starts) return this.#starts;
    const text = this.#text;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.#starts = starts;
    return starts;
  }

  positionAt(offset: number): SourcePosition {
    const starts = this.#lineStarts();
    const o = Math.max(0, Math.min(offset, this.#text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - starts[lo]! + 1, offset: o };
  }
}
