import { parseJsonLocated } from "@weft/loader";

/**
 * Located JSON for documents the loader does not load itself (.state files, dag/plan documents, event lines): the
 * loader's own located parser (`parseJsonLocated`), so positions are computed one way across weft.
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
  const doc = parseJsonLocated(text);
  const locate = (path: readonly (string | number)[], target: "key" | "value" = "value"): TextPosition => {
    const p = doc.locate(path, target);
    return { line: p.line, column: p.column };
  };
  const problem = doc.problems[0];
  if (!doc.ok && problem) {
    return {
      value: undefined,
      syntaxError: {
        message: problem.message,
        position: { line: problem.position.line, column: problem.position.column },
      },
      locate,
    };
  }
  return { value: doc.value, locate };
}
