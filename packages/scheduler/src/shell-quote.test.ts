import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shellQuote, substitutePlaceholders } from "./shell-quote.js";

describe("placeholders are shell-quoted (SPEC §3, DESIGN §7)", () => {
  it("a hostile prompt reaches the command as one literal word", () => {
    const cmd = substitutePlaceholders("printf '%s' {prompt}", {
      prompt: "x'; touch /tmp/pwned-weft; echo '$(id)",
      task_id: "t",
      workstream_id: "w",
      worktree: "/tmp",
    });
    expect(execFileSync("/bin/sh", ["-c", cmd], { encoding: "utf8" })).toBe(
      "x'; touch /tmp/pwned-weft; echo '$(id)",
    );
  });
  it("round-trips any string through sh", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }).filter((s) => !s.includes("\0")),
        (s) => {
          expect(execFileSync("/bin/sh", ["-c", `printf '%s' ${shellQuote(s)}`], { encoding: "utf8" })).toBe(
            s,
          );
        },
      ),
      { numRuns: 40 },
    );
  });
  it("leaves other braces alone", () => {
    expect(
      substitutePlaceholders("echo {other} {task_id}", {
        prompt: "",
        task_id: "a b",
        workstream_id: "",
        worktree: "",
      }),
    ).toBe("echo {other} 'a b'");
  });
});
