/**
 * Gate rules (DESIGN §4): the names `validation_rules` and `final_validation` may use, and how each resolves.
 * Pure and zod-free. One definition for both sides: the scheduler runs what this returns (and refuses an unknown
 * rule at plan time, SCHED_UNKNOWN_RULE); the validators only check that the names resolve (TASK-DEF-002).
 */

/** Rules weft knows by name. `git_clean` is built in; the others run the command configured under `gates`. */
export const GATE_RULES = [
  "git_clean",
  "no_lint_errors",
  "tests_passing",
  "tests_still_passing",
  "no_security_issues",
] as const;
export type GateRuleName = (typeof GATE_RULES)[number];

/** Rules weft checks itself, without a configured command. */
export const BUILTIN_GATE_RULES: readonly string[] = ["git_clean"];

export type ResolvedGateRule =
  | { readonly kind: "builtin"; readonly id: "git_clean" }
  | { readonly kind: "command"; readonly name: string; readonly command: string }
  | { readonly kind: "unknown"; readonly name: string; readonly reason: string };

/**
 * How a gate rule runs: `git_clean` is built in (no uncommitted changes in the worktree); every other rule runs the
 * command configured in `weft.config.json` (`gates: { "<name>": "<command>" }`), so any stack works and teams may
 * add their own names. A known rule with no command, or an unknown name, is `unknown` — a validation error, never
 * a silent pass.
 */
export function resolveGateRule(
  name: string,
  config: { readonly gates?: Readonly<Record<string, string>> },
): ResolvedGateRule {
  if (name === "git_clean") return { kind: "builtin", id: "git_clean" };
  const command = Object.hasOwn(config.gates ?? {}, name) ? config.gates?.[name] : undefined;
  if (typeof command === "string" && command.trim() !== "") return { kind: "command", name, command };
  if ((GATE_RULES as readonly string[]).includes(name)) {
    return {
      kind: "unknown",
      name,
      reason: `the rule '${name}' needs a command: set gates.${name} in weft.config.json`,
    };
  }
  return {
    kind: "unknown",
    name,
    reason: `'${name}' is not a gate rule (known: ${GATE_RULES.join(", ")}, or any name under gates in weft.config.json)`,
  };
}
