import { parseJsonLocated } from "@weft/loader";

/**
 * Located JSON for documents the loader does not load itself (.state files, dag/plan documents, event lines). The
 * text is parsed with `JSON.parse` (fast); the loader's located parser (`parseJsonLocated`) runs only when a
 * position is needed — for a violation or a syntax error — so positions are computed one way across weft and a
 * clean 3 MB snapshot costs one `JSON.parse`.
 */

export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** A located JSON text: parse result plus `locate(path)` → line/column. */
export interface JsonText {
  readonly value: unknown;
  /** Set when the text is not valid JSON: the message and its position. */
  readonly syntaxError?: { readonly message: string; readonly position: TextPosition };
  locate(path: readonly (string | number)[], target?: "key" | "value"): TextPosition;
}

/** Parses JSON text and keeps the means to locate values in it. */
export function parseJsonText(text: string): JsonText {
  let located: ReturnType<typeof parseJsonLocated> | undefined;
  const doc = (): ReturnType<typeof parseJsonLocated> => {
    located ??= parseJsonLocated(text);
    return located;
  };
  const locate = (path: readonly (string | number)[], target: "key" | "value" = "value"): TextPosition => {
    const p = doc().locate(path, target);
    return { line: p.line, column: p.column };
  };
  try {
    return { value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text), locate };
  } catch {
    const problem = doc().problems[0];
    const position = problem
      ? { line: problem.position.line, column: problem.position.column }
      : { line: 1, column: 1 };
    return {
      value: undefined,
      syntaxError: { message: problem?.message ?? "not valid JSON", position },
      locate,
    };
  }
}
