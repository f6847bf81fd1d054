// Gate rules moved to @weft/core-schema so the scheduler and the validators resolve a rule the same way; re-exported
// here for the validators' public API.
export {
  BUILTIN_GATE_RULES,
  GATE_RULES,
  type GateRuleName,
  type ResolvedGateRule,
  resolveGateRule,
} from "@weft/core-schema";
