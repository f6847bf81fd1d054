import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { RepoFiles } from "../internal/repo-files.js";
import type { CheckOutcome, Violation } from "../validation-report.js";

/** What a package entry header must name (MOD-IDX-001, SPEC §15). */
export const MODULE_HEADER_PARTS: readonly { readonly label: string; readonly pattern: RegExp }[] = [
  { label: "Public API", pattern: /public api/i },
  { label: "stability (stable since x / experimental)", pattern: /stable since|experimental/i },
  { label: "Integration points", pattern: /integration points?/i },
  { label: "Dependencies", pattern: /dependenc(y|ies)/i },
];

function exportedNames(
  lines: readonly string[],
): { name: string; line: number; column: number; type: boolean }[] {
  const out: { name: string; line: number; column: number; type: boolean }[] = [];
  let inBlock = false;
  let blockIsType = false;
  lines.forEach((text, i) => {
    let body = text;
    let offset = 0;
    if (!inBlock) {
      const decl =
        /^export\s+(?:declare\s+)?(?:async\s+)?(const|let|function\*?|class|interface|type|enum|abstract\s+class)\s+([A-Za-z_$][\w$]*)/.exec(
          text,
        );
      if (decl) {
        const name = decl[2]!;
        const type = decl[1] === "interface" || decl[1] === "type";
        out.push({ name, line: i + 1, column: text.indexOf(name, decl[0].length - name.length) + 1, type });
        return;
      }
      const start = /^export\s+(type\s+)?\{/.exec(text);
      if (!start) return;
      blockIsType = start[1] !== undefined;
      inBlock = true;
      offset = start[0].length;
      body = text.slice(offset);
    }
    const close = body.indexOf("}");
    const part = close === -1 ? body : body.slice(0, close);
    for (const m of part.matchAll(/(type\s+)?([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?/g)) {
      const name = m[3] ?? m[2]!;
      if (name === "type") continue;
      out.push({
        name,
        line: i + 1,
        column: offset + (m.index ?? 0) + m[0].lastIndexOf(name) + 1,
        type: blockIsType || m[1] !== undefined,
      });
    }
    if (close !== -1) inBlock = false;
  });
  return out;
}

/**
 * MOD-IDX-001: every package's entry module (`packages/* /src/index.ts`, `apps/* /src/index.ts`) begins with a doc
 * comment naming its public API, the stability of each export, its integration points and dependencies
 * (FAIL when the comment or a part is missing); an export the header never names is a WARN.
 */
export function checkModuleHeaders(files: RepoFiles): CheckOutcome {
  const violations: Violation[] = [];
  const entries: string[] = [];
  for (const group of ["packages", "apps"]) {
    const dir = files.abs(group);
    if (!files.isDir(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const entry = join(dir, name, "src", "index.ts");
      if (files.isFile(entry)) entries.push(entry);
    }
  }
  if (entries.length === 0) {
    return {
      violations,
      skipped: [{ requirement: "MOD-IDX-001", reason: "no packages/*/src/index.ts in this repository" }],
    };
  }
  for (const entry of entries) {
    const file = files.display(entry);
    const text = files.readText(entry) ?? "";
    const m = /^(?:#![^\n]*\n)?\s*\/\*\*([\s\S]*?)\*\//.exec(text);
    if (!m) {
      violations.push({
        requirement: "MOD-IDX-001",
        level: "error",
        file,
        line: 1,
        column: 1,
        message: "the entry module does not begin with a /** … */ module documentation comment",
        fix: "start the file with a doc comment: a summary, 'Public API (stability):' with each export and 'stable since x.y.z' or 'experimental', 'Integration points:' and 'Dependencies:'",
      });
      continue;
    }
    const header = m[1]!;
    for (const part of MODULE_HEADER_PARTS) {
      if (!part.pattern.test(header)) {
        violations.push({
          requirement: "MOD-IDX-001",
          level: "error",
          file,
          line: 1,
          column: 1,
          message: `the module header does not state its ${part.label}`,
          fix: `add a '${part.label.split(" (")[0]}' paragraph to the header comment`,
        });
      }
    }
    const lines = text.split(/\r?\n/);
    const unnamed = exportedNames(lines).filter(
      (e) => !e.type && !new RegExp(`\\b${e.name.replace(/\$/g, "\\$")}\\b`).test(header),
    );
    const first = unnamed[0];
    if (first) {
      const names = unnamed.map((e) => e.name);
      violations.push({
        requirement: "MOD-IDX-001",
        level: "warning",
        file,
        line: first.line,
        column: first.column,
        message: `${names.length} exported value${names.length === 1 ? " is" : "s are"} not named in the module header: ${names.join(", ")}`,
        fix: "name each export with its stability (stable since x.y.z / experimental) in the header's Public API list",
      });
    }
  }
  return { violations, checked: { "entry modules": entries.length } };
}
