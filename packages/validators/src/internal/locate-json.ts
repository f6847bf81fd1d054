/**
 * Finds where a value (or its key) sits in JSON text, for `file:line:column` in violations of documents the
 * loader does not read (.state files, dag/plan documents). O(n) skip-scan along one path; never throws.
 */

export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** Maps offsets to 1-based line/column (built once per text). */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  position(offset: number): TextPosition {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

function skipWs(t: string, i: number): number {
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else break;
  }
  return i;
}

function skipString(t: string, i: number): number {
  // t[i] === '"'
  i++;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 34) return i + 1;
    else i++;
  }
  return i;
}

function skipValue(t: string, i: number): number {
  i = skipWs(t, i);
  const c = t[i];
  if (c === '"') return skipString(t, i);
  if (c === "{" || c === "[") {
    let depth = 0;
    while (i < t.length) {
      const d = t[i];
      if (d === '"') {
        i = skipString(t, i);
        continue;
      }
      if (d === "{" || d === "[") depth++;
      else if (d === "}" || d === "]") {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  while (i < t.length && !",}]".includes(t[i]!) && !/\s/.test(t[i]!)) i++;
  return i;
}

/**
 * Offset of the value at `path` (or of its key with `target: "key"`). When the path does not exist, the offset of
 * the deepest existing ancestor value.
 */
export function locateJsonOffset(
  text: string,
  path: readonly (string | number)[],
  target: "key" | "value" = "value",
): number {
  let i = skipWs(text, 0);
  let keyAt = i;
  for (const seg of path) {
    const c = text[i];
    if (c === "{" && typeof seg === "string") {
      let j = skipWs(text, i + 1);
      let found = -1;
      while (j < text.length && text[j] === '"') {
        const kEnd = skipString(text, j);
        let key: string;
        try {
          key = JSON.parse(text.slice(j, kEnd)) as string;
        } catch {
          return i;
        }
        const colon = skipWs(text, kEnd);
        const v = skipWs(text, colon + 1);
        if (key === seg) {
          found = v;
          keyAt = j;
          break;
        }
        j = skipWs(text, skipValue(text, v));
        if (text[j] === ",") j = skipWs(text, j + 1);
        else break;
      }
      if (found < 0) return i;
      i = found;
    } else if (c === "[" && typeof seg === "number") {
      let j = skipWs(text, i + 1);
      let n = 0;
      while (n < seg && j < text.length && text[j] !== "]") {
        j = skipWs(text, skipValue(text, j));
        if (text[j] === ",") j = skipWs(text, j + 1);
        else break;
        n++;
      }
      if (n !== seg || text[j] === "]") return i;
      keyAt = j;
      i = j;
    } else {
      return i;
    }
  }
  return target === "key" ? keyAt : i;
}

/** A located JSON text: parse result plus `locate(path)` → line/column. */
export interface JsonText {
  readonly text: string;
  readonly value: unknown;
  /** Set when the text is not valid JSON: the message and its position. */
  readonly syntaxError?: { readonly message: string; readonly position: TextPosition };
  locate(path: readonly (string | number)[], target?: "key" | "value"): TextPosition;
}

/** Parses JSON text and keeps the means to locate values in it. */
export function parseJsonText(text: string): JsonText {
  let index: LineIndex | undefined;
  const idx = (): LineIndex => {
    index ??= new LineIndex(text);
    return index;
  };
  const locate = (path: readonly (string | number)[], target: "key" | "value" = "value"): TextPosition =>
    idx().position(locateJsonOffset(text, path, target));
  try {
    return { text, value: JSON.parse(text), locate };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const m = /position (\d+)/.exec(message);
    const lc = /line (\d+) column (\d+)/.exec(message);
    const position = lc
      ? { line: Number(lc[1]), column: Number(lc[2]) }
      : m
        ? idx().position(Number(m[1]))
        : idx().position(Math.max(0, text.length - 1));
    return {
      text,
      value: undefined,
      syntaxError: { message: message.replace(/ in JSON at position.*$/, ""), position },
      locate,
    };
  }
}
