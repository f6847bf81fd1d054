// A tiny dependency-free linter for the example (the `no_lint_errors` gate and the lint task).
// Checks every .js/.mjs file under src/, test/ and scripts/: it must compile, use no `var`, have no trailing
// whitespace or tabs, and end with a new line. Prints `file:line:col: message`; exits 1 when anything is found.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";

const problems = [];
const files = [];
for (const dir of ["src", "test", "scripts"]) {
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    continue;
  }
  for (const name of names.sort()) if (/\.(m?js)$/.test(name)) files.push(join(dir, name));
}
for (const file of files) {
  const text = readFileSync(file, "utf8");
  if (file.endsWith(".js")) {
    try {
      new vm.Script(`(function (exports, require, module) {${text}\n})`, { filename: file });
    } catch (e) {
      problems.push(`${file}:1:1: does not compile: ${e.message}`);
    }
  }
  text.split("\n").forEach((line, i) => {
    const n = i + 1;
    const trailing = /[ \t]+$/.exec(line);
    if (trailing) problems.push(`${file}:${n}:${trailing.index + 1}: trailing whitespace`);
    const tab = line.indexOf("\t");
    if (tab >= 0) problems.push(`${file}:${n}:${tab + 1}: tab character (indent with spaces)`);
    const v = /(^|[^\w$.])var\s/.exec(line);
    if (v && !line.trimStart().startsWith("//"))
      problems.push(`${file}:${n}:${v.index + v[1].length + 1}: use const or let instead of var`);
  });
  if (text.length > 0 && !text.endsWith("\n"))
    problems.push(`${file}: missing new line at the end of the file`);
}
for (const p of problems) console.log(p);
console.log(`lint: ${files.length} files, ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
process.exit(problems.length > 0 ? 1 : 0);
