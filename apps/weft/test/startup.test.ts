import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// DESIGN §6 (`weft status` on 10,000 tasks ≤ 300 ms, `weft run` start-up) is measured by the benches, not here.
// What a test can pin down is the reason it holds: the read-only start-up path never loads zod and the schemas (or
// any command module it does not run), and `weft run` of commands loads neither execa, yaml nor the aider adapter.
// A module-load hook lists every file the binary loads: the bundled binary users run (dist/weft.js, chunks in
// dist/chunks/, recognised by their contents) and the unbundled module graph it is built from (dist/main.js).
const root = new URL("../../..", import.meta.url);
const main = new URL("apps/weft/dist/main.js", root);
const bundled = new URL("apps/weft/dist/weft.js", root);
const ZOD = /\/zod\//;
const ADAPTER = /\/(adapter-aider|js-tiktoken)\//;
/** What a loaded file is: its package for the module graph, its contents' tell-tales for a bundle chunk. */
function kinds(file: string): string[] {
  const out: string[] = [];
  if (file.includes("/apps/weft/dist/chunks/")) {
    const text = readFileSync(new URL(file), "utf8");
    if (text.includes("$ZodType")) out.push("zod");
    if (text.includes("function buildAiderArgs")) out.push("adapter-aider");
    if (text.includes("function createEngine(")) out.push("scheduler");
    if (text.includes("function validateRepo(")) out.push("validators");
    if (text.includes("function loadRepo(")) out.push("loader");
    if (text.includes("function computePlans(")) out.push("dag");
    if (text.includes("function isLoopbackHost(")) out.push("observability");
    return out;
  }
  if (ZOD.test(file)) out.push("zod");
  if (ADAPTER.test(file)) out.push("adapter-aider");
  const m = /\/packages\/([a-z-]+)\//.exec(file);
  if (m) out.push(m[1]!);
  if (/\/(execa|yaml)\//.test(file)) out.push(/\/execa\//.test(file) ? "execa" : "yaml");
  return out;
}
const work = mkdtempSync(join(tmpdir(), "weft-startup-"));
writeFileSync(
  join(work, "hooks.mjs"),
  'export async function load(url, context, next) { if (url.startsWith("file:")) process.stderr.write("LOADED " + url + "\\n"); return next(url, context); }\n',
);
writeFileSync(
  join(work, "register.mjs"),
  `import { register } from "node:module"; register(${JSON.stringify(pathToFileURL(join(work, "hooks.mjs")).href)});\n`,
);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function loadedBy(bin: URL, args: string[], cwd = work): { status: number | null; files: string[] } {
  const r = spawnSync(process.execPath, ["--import", join(work, "register.mjs"), bin.pathname, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CI: "1" },
  });
  const files = r.stderr
    .split("\n")
    .filter((l) => l.startsWith("LOADED "))
    .map((l) => l.slice("LOADED ".length));
  return { status: r.status, files };
}

describe.each([
  ["bundled", bundled],
  ["module graph", main],
])("start-up path of read-only commands (%s)", (_label, bin) => {
  for (const args of [["status"], ["--version"], ["--help"]]) {
    it(`weft ${args.join(" ")} loads neither zod nor the other commands`, () => {
      const { status, files } = loadedBy(bin, args);
      expect(status).toBe(0);
      expect(files.length).toBeGreaterThan(3); // the hook saw the CLI's own modules
      const loaded = new Set(files.flatMap(kinds));
      for (const k of ["zod", "scheduler", "validators", "loader", "dag", "adapter-aider", "observability"])
        expect(loaded.has(k), `${k} loaded by weft ${args.join(" ")}: ${files.join(", ")}`).toBe(false);
    });
  }
});

describe.each([
  ["bundled", bundled],
  ["module graph", main],
])("start-up path of weft run (%s)", (_label, bin) => {
  it("a DAG of commands in --isolation none loads neither execa, yaml nor the aider adapter", () => {
    const repo = join(work, "run-repo");
    mkdirSync(join(repo, "tasks", "w"), { recursive: true });
    writeFileSync(
      join(repo, "tasks", "w", "t1.json"),
      JSON.stringify({
        schema_version: "2.0.0",
        task_id: "t1",
        workstream_id: "w",
        name: "t1",
        type: "custom",
        execution: { command: "true" },
      }),
    );
    rmSync(join(repo, ".state"), { recursive: true, force: true });
    const { status, files } = loadedBy(bin, ["run", "--isolation", "none", "--workers", "1"], repo);
    expect(status).toBe(0);
    const loaded = new Set(files.flatMap(kinds));
    // the hook saw the engine and the schemas load (so the detection the read-only tests rely on works)
    expect(loaded.has("scheduler")).toBe(true);
    expect(loaded.has("loader")).toBe(true);
    expect(loaded.has("zod")).toBe(true);
    for (const k of ["execa", "yaml", "adapter-aider"])
      expect(loaded.has(k), `${k} loaded by weft run: ${files.join(", ")}`).toBe(false);
  });
});
