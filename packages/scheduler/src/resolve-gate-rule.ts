import type { WeftConfig } from "@weft/core-schema";

/** What a validation rule name maps to (DESIGN §4 gates). */
export type GateRule =
  | { readonly kind: "builtin"; readonly name: "git_clean" }
  | { readonly kind: "command"; readonly name: string; readonly command: string }
  | { readonly kind: "unknown"; readonly name: string };

/** Built-in gates that need no configuration. */
export const BUILTIN_GATES: readonly string[] = ["git_clean"];

/**
 * Resolves a rule name (`validation_rules.*`, `final_validation[]`): `git_clean` is built in; other names map to the
 * command in `weft.config.json` `gates`; anything else is unknown — an error at plan time, never a silent pass.
 */
export function resolveGateRule(name: string, config: Pick<WeftConfig, "gates">): GateRule {
  const command = config.gates[name];
  if (command !== undefined) return { kind: "command", name, command };
  if (name === "git_clean") return { kind: "builtin", name };
  return { kind: "unknown", name };
}
