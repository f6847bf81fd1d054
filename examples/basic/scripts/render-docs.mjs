// Writes docs/GREETING.md from what src/greeting.js exports (deterministic: no dates, sorted names).
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const greeting = require("../src/greeting.js");
const lines = ["# Greeting module", "", "| function | example | result |", "|---|---|---|"];
for (const name of Object.keys(greeting).sort()) {
  lines.push(`| \`${name}\` | \`${name}("Ada")\` | ${greeting[name]("Ada")} |`);
}
mkdirSync("docs", { recursive: true });
writeFileSync("docs/GREETING.md", `${lines.join("\n")}\n`);
console.log(`wrote docs/GREETING.md (${Object.keys(greeting).length} functions)`);
