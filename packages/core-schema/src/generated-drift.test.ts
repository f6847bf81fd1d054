import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderJsonSchemas, renderStateMachineYaml } from "./render-generated.js";
import { STATE_MACHINES } from "./state-machines.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const fix = "run `pnpm gen` and commit the result";

describe("generated artifacts match the code (drift check)", () => {
  it(`schemas/ equals the JSON Schemas generated from zod (${fix})`, () => {
    const expected = renderJsonSchemas();
    const onDisk = readdirSync(join(root, "schemas"))
      .filter((f) => f.endsWith(".schema.json"))
      .sort();
    expect(onDisk).toEqual(Object.keys(expected).sort());
    for (const [name, text] of Object.entries(expected))
      expect(readFileSync(join(root, "schemas", name), "utf8"), name).toBe(text);
  });

  it(`docs/state_machines/*.yaml equal the machines (${fix})`, () => {
    for (const m of Object.values(STATE_MACHINES)) {
      const file = join(root, "docs", "state_machines", `${m.id}_lifecycle.yaml`);
      expect(readFileSync(file, "utf8"), file).toBe(renderStateMachineYaml(m));
    }
  });
});
