// Build step: ships the repo's examples/basic inside the package (as ./example) for `weft init --example`.
import { cpSync, existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const from = fileURLToPath(new URL("../../../examples/basic", import.meta.url));
const to = fileURLToPath(new URL("../example", import.meta.url));
rmSync(to, { recursive: true, force: true });
if (existsSync(from)) cpSync(from, to, { recursive: true });
