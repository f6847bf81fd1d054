/**
 * The logging interface libraries accept (a structural subset of pino's Logger, STYLE.md "Logging"): object first,
 * fixed message. Libraries never create loggers; the composition root passes a pino instance.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = (): void => {};

/** A logger that discards everything (the default when none is injected). */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
