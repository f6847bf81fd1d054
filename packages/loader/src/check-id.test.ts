import { describe, expect, it } from "vitest";
import { checkId, idDiagnostic, suggestId } from "./check-id.js";

describe("checkId (SPEC §1)", () => {
  it("accepts the id alphabet and rejects everything that could become a path", () => {
    for (const ok of ["task-001", "A", "0", "ws.v2_final-1", "a".repeat(128)])
      expect(checkId(ok), ok).toBeUndefined();
    const bad: [string, string][] = [
      ["", "it is empty"],
      ["..", "'..' is a path, not a name"],
      ["a/b", "it contains '/'"],
      ["my task", "it contains a space"],
      ["nul\0", "it contains a NUL character"],
      ["-lead", "it starts with '-' (it must start with a letter or digit)"],
      [".hidden", "it starts with '.' (it must start with a letter or digit)"],
      ["a".repeat(129), "it is 129 characters long (at most 128)"],
      ["tâche", "it contains 'â' (only ASCII letters and digits are allowed)"],
    ];
    for (const [id, reason] of bad) expect(checkId(id)?.reason, JSON.stringify(id)).toBe(reason);
  });

  it("suggests a valid id close to the bad one", () => {
    expect(suggestId("my task")).toBe("my-task");
    expect(suggestId("../etc/passwd")).toBe("etc-passwd");
    expect(suggestId("tâche")).toBe("tache");
    expect(suggestId("///")).toBeUndefined();
  });

  it("builds a LOADER_BAD_ID diagnostic at the given place", () => {
    expect(idDiagnostic("ok-id", { label: "task_id", file: "f.json", line: 1, column: 1 })).toBeUndefined();
    expect(idDiagnostic("a b", { label: "task_id", file: "tasks/ws/x.json", line: 3, column: 14 })).toEqual({
      severity: "error",
      code: "LOADER_BAD_ID",
      requirement: "TASK-DEF-001",
      file: "tasks/ws/x.json",
      line: 3,
      column: 14,
      message: 'task_id "a b" is not a valid id: it contains a space',
      hint: "ids use ASCII letters, digits, '.', '_' and '-', start with a letter or digit and have at most 128 characters (SPEC §1); for example \"a-b\"",
    });
  });
});
