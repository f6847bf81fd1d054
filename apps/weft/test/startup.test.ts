import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

function loadedBy(args: string[]): { status: number | null; files: string[] } {
  const r = spawnSync(process.execPath, ["--import", join(work, "register.mjs"), main.pathname, ...args], {
    cwd: work,
    encoding: "utf8",
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
