import type { CliServices } from "@weft/cli";
import type { Logger } from "@weft/core-schema";

/** Wires the concrete implementations the commands use (task runners, state store…). */
export function createServices(base: { version: string; logger: Logger }): CliServices {
  return { ...base };
}
