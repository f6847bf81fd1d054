import { describe, expect, it } from "vitest";
import type { Diagnostic } from "./diagnostic.js";
import { formatDiagnostic, formatDiagnostics } from "./format-diagnostic.js";

const d: Diagnostic = {
  severity: "error",
  code: "LOADER_SCHEMA",
  requirement: "TASK-DEF-002",
  file: "tasks/ws-001/task-001.json",
  line: 2,
  column: 14,
  message: "execution.timeout_seconds must be a number",
  hint: "write the number without quotes: 600",
};

describe("formatDiagnostic", () => {
  it("prints file:line:col: severity CODE message, then the hint", () => {
    expect(formatDiagnostic(d)).toBe(
      "tasks/ws-001/task-001.json:2:14: error LOADER_SCHEMA execution.timeout_seconds must be a number\n  hint: write the number without quotes: 600",
    );
  });

  it("adds the source line with a caret under the column when given the text", () => {
    const source = '{\n  "timeout": "600"\n}';
    expect(formatDiagnostic({ ...d, column: 14 }, { source }).split("\n")).toEqual([
      "tasks/ws-001/task-001.json:2:14: error LOADER_SCHEMA execution.timeout_seconds must be a number",
      '  2 |   "timeout": "600"',
      "    |              ^",
      "  hint: write the number without quotes: 600",
    ]);
  });

  it("ends a list with the counts", () => {
    const text = formatDiagnostics([d, { ...d, severity: "warning", code: "LOADER_UNKNOWN_FIELD" }]);
    expect(text.split("\n").at(-1)).toBe("1 error, 1 warning");
    expect(formatDiagnostics([])).toBe("0 errors, 0 warnings");
  });

  it("colors the severity only when asked", () => {
    expect(formatDiagnostic(d, { color: true })).toContain("\u001b[31;1merror\u001b[0m");
    expect(formatDiagnostic(d)).not.toContain("\u001b");
  });
});
