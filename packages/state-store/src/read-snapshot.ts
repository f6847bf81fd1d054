import { readFileSync } from "node:fs";
import type { CurrentState } from "@weft/core-schema";
import type { StatePaths } from "./state-paths.js";

// zod-free on purpose: `weft status` (through `@weft/state-store/read`) reads snapshots without loading the schemas.

/** Outcome of reading `current.json`. */
export type LoadedSnapshot =
  | { readonly status: "ok"; readonly snapshot: CurrentState; readonly text: string }
  | { readonly status: "missing" }
  | { readonly status: "corrupt"; readonly message: string; readonly line: number; readonly column: number };

/** `current.json` read and parsed as JSON, not yet checked. */
export type ParsedSnapshot =
  | { readonly status: "parsed"; readonly raw: unknown; readonly text: string }
  | Exclude<LoadedSnapshot, { status: "ok" }>;

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

/** Reads `.state/current.json` and parses it (a JSON error carries its line and column). */
export function parseSnapshotFile(paths: StatePaths): ParsedSnapshot {
  let text: string;
  try {
    text = readFileSync(paths.current, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { status: "missing" };
    throw e;
  }
  try {
    return { status: "parsed", raw: JSON.parse(text), text };
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const pos = m ? Number(m[1]) : text.length;
    const lc = lineColumnOf(text, pos);
    return { status: "corrupt", message: `not valid JSON (${(e as Error).message})`, ...lc };
  }
}

/** The fast check (`validate: false`): JSON syntax and the top-level shape only. */
export function checkSnapshotShape(parsed: ParsedSnapshot): LoadedSnapshot {
  if (parsed.status !== "parsed") return parsed;
  const o = parsed.raw as Partial<CurrentState> | null;
  if (o && typeof o === "object" && typeof o.seq === "number" && Array.isArray(o.tasks)) {
    return { status: "ok", snapshot: o as CurrentState, text: parsed.text };
  }
  return { status: "corrupt", message: "not a current.json document (no seq / tasks)", line: 1, column: 1 };
}
