import { join } from "node:path";
import { FAILURE_MODE_SECTIONS, FAILURE_MODES, knownEventSeverities } from "../failure-modes.js";
import { findSection, hasContent, parseMarkdown, sectionBody } from "../internal/markdown.js";
import type { RepoFiles } from "../internal/repo-files.js";
import type { CheckOutcome, Violation } from "../validation-report.js";

const SEVERITIES = ["info", "warning", "error", "critical"];

/**
 * ERR-FM-001..003 (SPEC §9): `<docs>/failure_modes/CATALOG.md` lists every required mode with a link to its
 * file (001); each `<Mode>.md` exists with the six sections, none empty (002); the events and severities they
 * name are the ones weft records, and their related-mode links resolve (003).
 */
export function checkFailureModeDocs(files: RepoFiles, docsDir: string): CheckOutcome {
  const violations: Violation[] = [];
  const dir = join(docsDir, "failure_modes");
  const catalogPath = join(dir, "CATALOG.md");
  const catalogFile = files.display(catalogPath);
  const catalog = files.readText(catalogPath);
  if (catalog === undefined) {
    violations.push({
      requirement: "ERR-FM-001",
      level: "error",
      file: catalogFile,
      line: 1,
      column: 1,
      message: "the failure-mode catalog is missing",
      fix: `create ${catalogFile} with a table linking each failure mode (${FAILURE_MODES.join(", ")}) to its file`,
    });
  } else {
    const lines = catalog.split(/\r?\n/);
    for (const mode of FAILURE_MODES) {
      const link = new RegExp(`\\]\\((?:\\./)?${mode}\\.md(?:#[^)]*)?\\)`);
      if (!lines.some((l) => link.test(l))) {
        violations.push({
          requirement: "ERR-FM-001",
          level: "error",
          file: catalogFile,
          line: lines.length + (lines[lines.length - 1] === "" ? 0 : 1),
          column: 1,
          message: `the catalog does not link the required mode ${mode}`,
          fix: `add a row \`| [${mode}](${mode}.md) | … |\` to the catalog`,
        });
      }
    }
  }

  const events = knownEventSeverities();
  let checkedFiles = 0;
  for (const mode of FAILURE_MODES) {
    const path = join(dir, `${mode}.md`);
    const file = files.display(path);
    const text = files.readText(path);
    if (text === undefined) {
      violations.push({
        requirement: "ERR-FM-002",
        level: "error",
        file,
        line: 1,
        column: 1,
        message: `the failure mode ${mode} has no document`,
        fix: `create ${file} with the sections ${FAILURE_MODE_SECTIONS.map((s) => `'## ${s}'`).join(", ")}`,
      });
      continue;
    }
    checkedFiles++;
    const doc = parseMarkdown(text);
    for (const section of FAILURE_MODE_SECTIONS) {
      const h = findSection(doc, section);
      if (!h) {
        violations.push({
          requirement: "ERR-FM-002",
          level: "error",
          file,
          line: 1,
          column: 1,
          message: `${mode}: no '## ${section}' section`,
          fix: `add a '## ${section}' section to ${file}`,
        });
        continue;
      }
      const body = sectionBody(doc, h);
      if (!hasContent(body.lines)) {
        violations.push({
          requirement: "ERR-FM-002",
          level: "error",
          file,
          line: h.line,
          column: 1,
          message: `${mode}: the '${section}' section is empty`,
          fix: `write the ${section.toLowerCase()} of ${mode} under this heading`,
        });
        continue;
      }
      if (section === "Event and severity") {
        let namesKnownEvent = false;
        body.lines.forEach((line, k) => {
          const names = [...line.matchAll(/`([a-z][a-z0-9_]*)`/g)];
          const lineEvents = names.filter((m) => events.has(m[1]!));
          const sevs = names.filter((m) => SEVERITIES.includes(m[1]!)).map((m) => m[1]!);
          if (lineEvents.length > 0) namesKnownEvent = true;
          if (lineEvents.length === 1 && sevs.length >= 1) {
            const ev = lineEvents[0]!;
            const allowed = events.get(ev[1]!)!;
            for (const s of sevs) {
              if (!allowed.has(s)) {
                violations.push({
                  requirement: "ERR-FM-003",
                  level: "error",
                  file,
                  line: body.start + k,
                  column: line.indexOf(`\`${s}\``) + 1,
                  message: `${mode}: event \`${ev[1]}\` is recorded with severity ${[...allowed].join(" or ")}, not \`${s}\``,
                  fix: `write the severity weft records for \`${ev[1]}\`: ${[...allowed].map((a) => `\`${a}\``).join(" or ")}`,
                });
              }
            }
          }
        });
        if (!namesKnownEvent) {
          violations.push({
            requirement: "ERR-FM-003",
            level: "error",
            file,
            line: h.line,
            column: 1,
            message: `${mode}: the 'Event and severity' section names no event weft records`,
            fix: `name the recorded event in backticks (one of ${[...events.keys()]
              .slice(0, 6)
              .map((e) => `\`${e}\``)
              .join(", ")}, …) with its severity`,
          });
        }
      }
      if (section === "Related modes") {
        let links = 0;
        body.lines.forEach((line, k) => {
          for (const m of line.matchAll(/\]\((?:\.\/)?([^)#\s]+\.md)(?:#[^)]*)?\)/g)) {
            links++;
            const target = join(dir, m[1]!);
            if (!files.isFile(target)) {
              violations.push({
                requirement: "ERR-FM-003",
                level: "error",
                file,
                line: body.start + k,
                column: (m.index ?? 0) + 3,
                message: `${mode}: related mode link '${m[1]}' does not resolve`,
                fix: `link an existing mode file, e.g. [${FAILURE_MODES.find((x) => x !== mode)}](${FAILURE_MODES.find((x) => x !== mode)}.md)`,
              });
            }
          }
        });
        if (links === 0) {
          violations.push({
            requirement: "ERR-FM-003",
            level: "error",
            file,
            line: h.line,
            column: 1,
            message: `${mode}: 'Related modes' links no other mode`,
            fix: "link each related mode's file, e.g. `- [Task-Failed](Task-Failed.md) — …`",
          });
        }
      }
    }
  }
  return { violations, checked: { "failure-mode documents": checkedFiles } };
}
