// Writes the generated artifacts: schemas/*.schema.json, docs/state_machines/*.yaml, docs/errors.md.
// Run with `pnpm gen` (builds first). Tests in packages/core-schema fail when these drift from the code.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderFullErrorCatalog } from "@weft/cli";
import { renderJsonSchemas, renderStateMachineYaml, STATE_MACHINES } from "@weft/core-schema";

const root = fileURLToPath(new URL("..", import.meta.url));
const schemasDir = join(root, "schemas");
mkdirSync(schemasDir, { recursive: true });
for (const f of readdirSync(schemasDir)) if (f.endsWith(".schema.json")) rmSync(join(schemasDir, f));
for (const [name, text] of Object.entries(renderJsonSchemas())) writeFileSync(join(schemasDir, name), text);
const smDir = join(root, "docs", "state_machines");
mkdirSync(smDir, { recursive: true });
for (const m of Object.values(STATE_MACHINES))
  writeFileSync(join(smDir, `${m.id}_lifecycle.yaml`), renderStateMachineYaml(m));
writeFileSync(join(root, "docs", "errors.md"), await renderFullErrorCatalog());
console.log("generated schemas/, docs/state_machines/, docs/errors.md");
