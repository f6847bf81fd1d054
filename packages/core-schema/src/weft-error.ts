import type { ErrorCode } from "./error-codes.js";

/** Options of a {@link WeftError}. */
export interface WeftErrorOptions {
  /** What the user can do about it, one sentence. */
  readonly hint?: string;
  /** Structured details (file, line, column, ids…). Never secrets. */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

const WEFT_ERROR_BRAND = Symbol.for("weft.error");

/** The one base error of weft: a permanent `code`, a message, a hint and details (STYLE.md "Errors"). */
export class WeftError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;
  readonly [WEFT_ERROR_BRAND] = true;

  constructor(code: ErrorCode, message: string, options: WeftErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "WeftError";
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }
}

/** True for any WeftError, even one from another copy of this package (no `instanceof`). */
export function isWeftError(value: unknown): value is WeftError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[WEFT_ERROR_BRAND] === true
  );
}
