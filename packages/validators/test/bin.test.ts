import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runValidateCli } from "../src/run-validate-cli.js";
import { listBrokenCases, materializeCase } from "./helpers/broken-cases.js";
import { makeCleanRepo } from "./helpers/make-clean-repo.js";

const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "bin.js");
let root: string;
let clean: string;
let broken: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "weft-validators-bin-"));
  clean = join(root, "clean");
  await makeCleanRepo(clean);
  broken = join(root, "broken");
  materializeCase(clean, listBrokenCases().find((c) => c.name === "dag-view-003-cycle")!, broken);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: root });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("weft-validate (the bin, a real child process)", () => {
  it("exits 0 on a clean repo and prints the summary", () => {
    const r = run(["all", "--cwd", "clean"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("OK: 32 passed, 0 failed");
  });

  it("exits 1 with the cycle at its file:line:column", () => {
    const r = run(["dag", "--cwd", broken, "--format", "github"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("::error file=tasks/ws-a/a1.json,line=9,col=19,title=DAG-VIEW-003 ");
  });

  it("exits 2 on a bad scope, a bad format, an unknown flag, a missing --docs folder or `tasks` outside a weft repo", () => {
    for (const args of [
      ["everything"],
      ["--format", "xml"],
      ["--frobnicate"],
      ["docs", "--docs", "no-such-dir", "--cwd", "clean"],
    ]) {
      const r = run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^weft-validate: .+/);
      expect(r.stdout).toBe("");
    }
  });

  it("--help lists scopes and formats; --json means --format json", () => {
    const help = run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("sarif");
    expect(help.stdout).toContain("failure-modes");
    const json = run(["tasks", "--cwd", "clean", "--json"]);
    expect(JSON.parse(json.stdout).summary.fail).toBe(0);
  });

  it("never writes to the repository it validates", async () => {
    const before = spawnSync("find", [clean, "-newer", join(clean, "weft.config.json"), "-type", "f"], {
      encoding: "utf8",
    }).stdout;
    const out: string[] = [];
    const code = await runValidateCli(["all", "--cwd", clean, "--format", "sarif"], {
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
      cwd: root,
    });
    expect(code).toBe(0);
    const after = spawnSync("find", [clean, "-newer", join(clean, "weft.config.json"), "-type", "f"], {
      encoding: "utf8",
    }).stdout;
    expect(after).toBe(before);
  });
});
