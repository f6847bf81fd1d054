/**
 * The common shape every located parser (JSON, YAML, `.psd1`) returns: the parsed value, the syntax
 * problems found, and a way to turn a value path back into a `line:column` in the source.
 */

/** A place in a source text. `line` and `column` are 1-based (column counts UTF-16 code units); `offset` is 0-based. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** One element of a value path: an object key or an array index. */
export type PathSegment = string | number;

/** Codes a parser reports for text it cannot read (permanent; listed in docs/errors.md). */
export type SyntaxProblemCode =
  | "LOADER_INVALID_JSON"
  | "LOADER_INVALID_YAML"
  | "LOADER_PSD1_SYNTAX"
  | "LOADER_DUPLICATE_KEY";

/** A syntax problem at a position: what is wrong and how to fix it. */
export interface SyntaxProblem {
  readonly code: SyntaxProblemCode;
  readonly message: string;
  readonly hint: string;
  readonly position: SourcePosition;
  /**
   * `true` when the text could not be read into a value. A non-fatal problem (a duplicate key: JSON keeps the
   * last value) leaves `value` usable but is still an error to report.
   */
  readonly fatal: boolean;
}

/** Which part of a `key: value` pair {@link LocatedDocument.locate} points at. */
export type LocateTarget = "key" | "value";

/** A parsed document that remembers where every value came from. */
export interface LocatedDocument {
  readonly format: "json" | "yaml" | "psd1";
  /** `true` when the text parsed without fatal problems (then `value` is the whole document). */
  readonly ok: boolean;
  /** The parsed value; `undefined` when `ok` is `false`. */
  readonly value: unknown;
  readonly problems: readonly SyntaxProblem[];
  /**
   * The position of the value (or, with `"key"`, of the key) at `path`. When the path does not exist,
   * the position of its deepest existing ancestor (so "missing field" errors point at the enclosing object).
   */
  locate(path: readonly PathSegment[], target?: LocateTarget): SourcePosition;
  /** Turns a 0-based offset into a position. */
  positionAt(offset: number): SourcePosition;
}
