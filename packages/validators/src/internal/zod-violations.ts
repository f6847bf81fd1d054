import type { z } from "zod";
import type { Violation, ViolationLevel } from "../validation-report.js";
import type { JsonText } from "./locate-json.js";

/** `a.b[2].c` for messages. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out === "" ? "(document)" : out;
}

/** A concrete fix for one zod issue. */
export function fixForIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  const i = issue as unknown as Record<string, unknown>;
  switch (issue.code) {
    case "invalid_type":
      if (i.input === undefined) return `add the required field \`${where}\` (${String(i.expected)})`;
      return `change \`${where}\` to a ${String(i.expected)}`;
    case "invalid_value": {
      const values = Array.isArray(i.values)
        ? (i.values as unknown[]).map((v) => JSON.stringify(v)).join(", ")
        : "";
      return `set \`${where}\` to ${values.includes(",") ? "one of " : ""}${values}`;
    }
    case "unrecognized_keys":
      return `remove or rename the unknown keys ${(i.keys as string[]).map((k) => `\`${k}\``).join(", ")}`;
    case "too_small":
      return `\`${where}\`: ${issue.message.replace(/^Too small: expected /, "make it ")}`;
    case "too_big":
      return `\`${where}\`: ${issue.message.replace(/^Too big: expected /, "make it ")}`;
    case "invalid_format":
      return `\`${where}\` ${issue.message.replace(/^Invalid string: /, "")}`;
    default:
      return `fix \`${where}\`: ${issue.message}`;
  }
}

/** Converts zod issues of a JSON document into violations located in its text. */
export function violationsFromZod(
  issues: readonly z.core.$ZodIssue[],
  doc: JsonText,
  file: string,
  requirement: string,
  level: ViolationLevel = "error",
  prefix = "",
): Violation[] {
  return issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const pos = doc.locate(path, issue.code === "unrecognized_keys" ? "value" : "value");
    return {
      requirement,
      level,
      file,
      line: pos.line,
      column: pos.column,
      message: `${prefix}${formatPath(issue.path)}: ${issue.message}`,
      fix: fixForIssue(issue),
    };
  });
}
