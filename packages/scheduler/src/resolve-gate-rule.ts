import { BUILTIN_GATE_RULES, type ResolvedGateRule, resolveGateRule } from "@weft/core-schema";

/**
 * What a validation rule name maps to (DESIGN §4 gates): core-schema's `resolveGateRule`, the one the validators
 * use too — `git_clean` is built in, other names run their command under `gates` in `weft.config.json`, anything
 * else (or an empty command) is unknown: an error at plan time, never a silent pass.
 */
export type GateRule = ResolvedGateRule;

/** Built-in gates that need no configuration. */
export const BUILTIN_GATES: readonly string[] = BUILTIN_GATE_RULES;

export { resolveGateRule };
