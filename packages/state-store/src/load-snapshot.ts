import { readFileSync } from "node:fs";
import { CurrentState } from "@weft/core-schema";
import type { StatePaths } from "./state-paths.js";

/** Outcome of reading `current.json`. */
export type LoadedSnapshot =
  | { readonly status: "ok"; readonly snapshot: CurrentState; readonly text: string }
  | { readonly status: "missing" }
  | { readonly status: "corrupt"; readonly message: string; readonly line: number; readonly column: number };

function lineColumnOf(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      last = i;
    }
  }
  return { line, column: position - last };
}

/**
 * Reads and validates `.state/current.json` (STATE-OBS-001). The returned snapshot is the raw parsed JSON (key
 * order kept) once it passed the schema. With `validate: false` only JSON syntax and the top-level shape are
 * checked (fast path for `weft status` on big states).
 */
export function loadSnapshot(paths: StatePaths, options: { validate?: boolean } = {}): LoadedSnapshot {
  let text: string;
  try {
    text = readFileSync(paths.current, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { status: "missing" };
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const pos = m ? Number(m[1]) : text.length;
    const lc = lineColumnOf(text, pos);
    return { status: "corrupt", message: `not valid JSON (${(e as Error).message})`, ...lc };
  }
  if (options.validate === false) {
    const o = raw as Partial<CurrentState> | null;
    if (o && typeof o === "object" && typeof o.seq === "number" && Array.isArray(o.tasks)) {
      return { status: "ok", snapshot: o as CurrentState, text };
    }
    return { status: "corrupt", message: "not a current.json document (no seq / tasks)", line: 1, column: 1 };
  }
  const r = CurrentState.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return {
      status: "corrupt",
      message: `does not match the snapshot schema: ${issue.path.join(".") || "(root)"}: ${issue.message}`,
      line: 1,
      column: 1,
    };
  }
  return { status: "ok", snapshot: raw as CurrentState, text };
}
