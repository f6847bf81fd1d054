import {
  appendFileSync,
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { ValidateScope } from "../../src/requirements.js";
import { FIXTURES } from "./make-clean-repo.js";

export const BROKEN = join(FIXTURES, "broken");

/** One broken repo of the corpus: the clean repo plus the changes in `case.json` and the files under `files/`. */
export interface BrokenCase {
  readonly name: string;
  readonly description: string;
  readonly scope?: ValidateScope[];
  readonly docs?: string;
  readonly remove?: string[];
  /** path → [[old, new, "all"?], …]: exact text replacements (each `old` must occur; "all" replaces every one). */
  readonly replace?: Record<string, ([string, string] | [string, string, "all"])[]>;
  readonly append?: Record<string, string>;
  readonly expect: {
    requirement: string;
    level: "error" | "warning";
    file: string;
    line: number;
    column: number;
  }[];
}

export function listBrokenCases(): BrokenCase[] {
  return readdirSync(BROKEN)
    .sort()
    .map((name) => ({
      name,
      ...(JSON.parse(readFileSync(join(BROKEN, name, "case.json"), "utf8")) as Omit<BrokenCase, "name">),
    }));
}

/** Copies the clean template to `dir` and applies the case — remove, then files/, then replace, then append (throws when a replacement does not apply). */
export function materializeCase(template: string, c: BrokenCase, dir: string): void {
  cpSync(template, dir, { recursive: true });
  for (const p of c.remove ?? []) rmSync(join(dir, p), { recursive: true });
  const files = join(BROKEN, c.name, "files");
  if (existsSync(files)) cpSync(files, dir, { recursive: true });
  for (const [p, pairs] of Object.entries(c.replace ?? {})) {
    let text = readFileSync(join(dir, p), "utf8");
    for (const [from, to, all] of pairs) {
      if (!text.includes(from)) throw new Error(`${c.name}: '${from.slice(0, 60)}' not found in ${p}`);
      text = all === "all" ? text.replaceAll(from, to) : text.replace(from, to);
    }
    writeFileSync(join(dir, p), text);
  }
  for (const [p, text] of Object.entries(c.append ?? {})) appendFileSync(join(dir, p), text);
}
