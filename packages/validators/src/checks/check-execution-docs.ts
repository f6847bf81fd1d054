import { join } from "node:path";
import { renderStateMachineYaml, STATE_MACHINES } from "@weft/core-schema";
import { findSection, hasContent, parseMarkdown, sectionBody } from "../internal/markdown.js";
import type { RepoFiles } from "../internal/repo-files.js";
import type { CheckOutcome, Violation } from "../validation-report.js";

/** The execution-model documents (EXEC-DOC-001..005) and the sections each must have. */
export const EXECUTION_MODEL_DOCS: readonly {
  readonly id: string;
  readonly file: string;
  readonly sections: readonly string[];
}[] = [
  {
    id: "EXEC-DOC-001",
    file: "OVERVIEW.md",
    sections: ["Concepts", "Execution phases", "Components", "Data flow"],
  },
  {
    id: "EXEC-DOC-002",
    file: "STATE_MACHINE.md",
    sections: ["Task lifecycle", "Workstream lifecycle", "Worker lifecycle", "Invariants"],
  },
  {
    id: "EXEC-DOC-003",
    file: "SCHEDULING.md",
    sections: ["Ready set", "Ordering", "Resources", "Retries and backoff", "Timeouts", "Gates"],
  },
  { id: "EXEC-DOC-004", file: "WORKERS.md", sections: ["Capabilities", "Heartbeats", "Task runners"] },
  {
    id: "EXEC-DOC-005",
    file: "RECOVERY.md",
    sections: ["Crash recovery", "State corruption", "Failure modes"],
  },
];

/**
 * EXEC-DOC-001..006: `<docs>/execution_model/*.md` exist with their sections (STATE_MACHINE.md names every state
 * of the three machines), and `<docs>/state_machines/<id>_lifecycle.yaml` are what core-schema generates.
 */
export function checkExecutionDocs(files: RepoFiles, docsDir: string): CheckOutcome {
  const violations: Violation[] = [];
  let checkedFiles = 0;
  for (const spec of EXECUTION_MODEL_DOCS) {
    const path = join(docsDir, "execution_model", spec.file);
    const file = files.display(path);
    const text = files.readText(path);
    if (text === undefined) {
      violations.push({
        requirement: spec.id,
        level: "error",
        file,
        line: 1,
        column: 1,
        message: `${spec.file} is missing`,
        fix: `create ${file} with the sections ${spec.sections.map((s) => `'## ${s}'`).join(", ")}`,
      });
      continue;
    }
    checkedFiles++;
    const doc = parseMarkdown(text);
    for (const section of spec.sections) {
      const h = findSection(doc, section);
      if (!h) {
        violations.push({
          requirement: spec.id,
          level: "error",
          file,
          line: 1,
          column: 1,
          message: `${spec.file}: no '## ${section}' section`,
          fix: `add a '## ${section}' section to ${file}`,
        });
      } else if (!hasContent(sectionBody(doc, h).lines)) {
        violations.push({
          requirement: spec.id,
          level: "error",
          file,
          line: h.line,
          column: 1,
          message: `${spec.file}: the '${section}' section is empty`,
          fix: `describe the ${section.toLowerCase()} under this heading`,
        });
      }
    }
    if (spec.id === "EXEC-DOC-002") {
      for (const m of Object.values(STATE_MACHINES)) {
        const h = findSection(doc, `${m.id} lifecycle`);
        if (!h) continue;
        const body = sectionBody(doc, h).lines.join("\n");
        for (const state of m.states) {
          if (!new RegExp(`\\b${state}\\b`).test(body)) {
            violations.push({
              requirement: spec.id,
              level: "error",
              file,
              line: h.line,
              column: 1,
              message: `${spec.file}: the ${m.id} lifecycle section never mentions the state '${state}'`,
              fix: `describe when a ${m.id} enters and leaves '${state}' (see ${m.id}_lifecycle.yaml)`,
            });
          }
        }
      }
    }
  }
  // EXEC-DOC-006: the generated state machine files match the code.
  for (const m of Object.values(STATE_MACHINES)) {
    const path = join(docsDir, "state_machines", `${m.id}_lifecycle.yaml`);
    const file = files.display(path);
    const text = files.readText(path);
    const expected = renderStateMachineYaml(m);
    if (text === undefined) {
      violations.push({
        requirement: "EXEC-DOC-006",
        level: "error",
        file,
        line: 1,
        column: 1,
        message: `the ${m.id} state machine file is missing`,
        fix: "generate it from @weft/core-schema with `pnpm gen` (renderStateMachineYaml)",
      });
      continue;
    }
    checkedFiles++;
    if (text !== expected) {
      const a = text.split("\n");
      const b = expected.split("\n");
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) i++;
      const got = a[i] ?? "";
      const want = b[i] ?? "";
      let col = 0;
      while (col < got.length && col < want.length && got[col] === want[col]) col++;
      violations.push({
        requirement: "EXEC-DOC-006",
        level: "error",
        file,
        line: i + 1,
        column: col + 1,
        message: `${m.id}_lifecycle.yaml differs from the ${m.requirement} machine in code: expected ${JSON.stringify(want)}, found ${JSON.stringify(got)}`,
        fix: "do not edit it by hand: regenerate it with `pnpm gen` (renderStateMachineYaml from @weft/core-schema)",
      });
    }
  }
  return { violations, checked: { "execution-model documents": checkedFiles } };
}
