import { z } from "zod";
import { DOCUMENT_SCHEMAS } from "./document-schemas.js";
import { ERROR_CODES } from "./error-codes.js";
import type { StateMachine } from "./state-machines.js";

/**
 * JSON Schemas (draft 2020-12) for every document, keyed by file name (`schemas/<name>.schema.json`).
 * Generated from zod (`io: "input"`: fields with defaults are optional, as users write them).
 */
export function renderJsonSchemas(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, schema] of Object.entries(DOCUMENT_SCHEMAS)) {
    const json = z.toJSONSchema(schema, {
      io: "input",
      target: "draft-2020-12",
      unrepresentable: "any",
    }) as Record<string, unknown>;
    const doc = { $id: `https://weft.dev/schemas/${name}.schema.json`, title: name, ...json };
    out[`${name}.schema.json`] = `${JSON.stringify(doc, null, 2)}\n`;
  }
  return out;
}

function yamlString(s: string): string {
  return /^[A-Za-z0-9_ ,.()'<>=-]*$/.test(s) && !/^[ -]/.test(s) && !s.includes(": ") ? s : JSON.stringify(s);
}

/** `docs/state_machines/<id>_lifecycle.yaml`, generated from the machine (SM-DEF-001..003). */
export function renderStateMachineYaml(machine: StateMachine): string {
  const lines = [
    "# Generated from @weft/core-schema (state-machines.ts) by `pnpm gen`. Do not edit by hand:",
    "# a test fails when this file drifts from the code.",
    `machine: ${machine.id}`,
    `requirement: ${machine.requirement}`,
    `initial: ${machine.initial}`,
    `states: [${machine.states.join(", ")}]`,
    `terminal: [${machine.terminal.join(", ")}]`,
    "transitions:",
  ];
  for (const t of machine.transitions) {
    lines.push(`  - from: [${t.from.join(", ")}]`);
    lines.push(`    to: ${t.to}`);
    lines.push(`    trigger: ${t.trigger}`);
    lines.push(`    event: ${t.event}`);
    lines.push(`    severity: ${t.severity}`);
    lines.push(`    guard: ${yamlString(t.guard)}`);
    if (t.manual) lines.push("    manual: true");
  }
  return `${lines.join("\n")}\n`;
}

/** `docs/errors.md`, the permanent error code catalog. */
export function renderErrorCatalog(): string {
  const lines = [
    "# Error codes",
    "",
    "<!-- Generated from packages/core-schema/src/error-codes.ts by `pnpm gen`; a test fails when it drifts. -->",
    "",
    "Every error weft reports carries one of these permanent codes. Names never change once released;",
    "new codes are only added. The CLI maps them to exit codes: configuration and usage errors exit 2,",
    "failed work exits 1 (see the README's CLI contract).",
    "",
    "| code | meaning |",
    "|---|---|",
  ];
  for (const [code, meaning] of Object.entries(ERROR_CODES)) lines.push(`| \`${code}\` | ${meaning} |`);
  return `${lines.join("\n")}\n`;
}
