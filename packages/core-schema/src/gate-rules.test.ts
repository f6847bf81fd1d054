import { describe, expect, it } from "vitest";
import { GATE_RULES, resolveGateRule } from "./gate-rules.js";

describe("resolveGateRule (DESIGN §4)", () => {
  it("git_clean is built in, even without configuration", () => {
    expect(resolveGateRule("git_clean", {})).toEqual({ kind: "builtin", id: "git_clean" });
  });
  it("other rules run the configured command", () => {
    expect(resolveGateRule("no_lint_errors", { gates: { no_lint_errors: "pnpm lint" } })).toEqual({
      kind: "command",
      name: "no_lint_errors",
      command: "pnpm lint",
    });
    expect(resolveGateRule("my_check", { gates: { my_check: "make check" } })).toEqual({
      kind: "command",
      name: "my_check",
      command: "make check",
    });
  });
  it("a known rule without a command, or an unknown name, is unknown (never a silent pass)", () => {
    const known = resolveGateRule("tests_passing", {});
    expect(known.kind).toBe("unknown");
    const unknown = resolveGateRule("toString", { gates: {} });
    expect(unknown.kind).toBe("unknown");
    expect(resolveGateRule("no_lint_errors", { gates: { no_lint_errors: "  " } }).kind).toBe("unknown");
  });
  it("lists the rule names of DESIGN §4", () => {
    expect(GATE_RULES).toEqual([
      "git_clean",
      "no_lint_errors",
      "tests_passing",
      "tests_still_passing",
      "no_security_issues",
    ]);
  });
});
