/**
 * @weft/core-schema/runtime — the zod-free part of core-schema: errors, the logger interface, id checks.
 *
 * Public API (stability): stable since 0.1.0 — `WeftError`, `isWeftError`, `ERROR_CODES` and the types
 * `ErrorCode`, `WeftErrorOptions`; `Logger`, `silentLogger`; `ID_PATTERN`, `isValidId`. The same values as the
 * package's main entry (they are the same modules), without loading zod and every schema.
 *
 * Integration points: code on a start-up-sensitive path (`weft status`, the CLI's argument parsing and error
 * rendering, `@weft/state-store/read`) imports values from here and types from `@weft/core-schema` with
 * `import type`, which costs nothing at run time (DESIGN §6: `weft status` ≤ 300 ms).
 * Dependencies: none.
 */
export { ERROR_CODES, type ErrorCode } from "./error-codes.js";
export { ID_PATTERN, isValidId } from "./id-pattern.js";
export { type Logger, silentLogger } from "./logger.js";
export { isWeftError, WeftError, type WeftErrorOptions } from "./weft-error.js";
