import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// DESIGN §6 (`weft status` on 10,000 tasks ≤ 300 ms) is measured by bench/state.mjs, not here. What a test can pin
// down is the reason it holds: the read-only start-up path never loads zod and the schemas (or any command module
// it does not run). A module-load hook lists every file the real binary loads.
const root = new URL("../../..", import.meta.url);
const main = new URL("apps/weft/dist/main.js", root);
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

function loadedBy(args: string[], cwd = work): { status: number | null; files: string[] } {
  const r = spawnSync(process.execPath, ["--import", join(work, "register.mjs"), main.pathname, ...args], {
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

describe("start-up path of read-only commands", () => {
  for (const args of [["status"], ["--version"], ["--help"]]) {
    it(`weft ${args.join(" ")} loads neither zod nor the other commands`, () => {
      const { status, files } = loadedBy(args);
      expect(status).toBe(0);
      expect(files.length).toBeGreaterThan(3); // the hook saw the CLI's own modules
      expect(files.filter((f) => f.includes("/zod/"))).toEqual([]);
      expect(
        files.filter((f) => /\/(scheduler|validators|loader|dag|adapter-aider|observability)\//.test(f)),
      ).toEqual([]);
    });
  }
});

describe("start-up path of weft run", () => {
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
    const { status, files } = loadedBy(["run", "--isolation", "none", "--workers", "1"], repo);
    expect(status).toBe(0);
    expect(files.some((f) => f.includes("/scheduler/"))).toBe(true); // the hook saw the engine load
    expect(files.filter((f) => /\/(execa|yaml|adapter-aider|js-tiktoken)\//.test(f))).toEqual([]);
  });
});
