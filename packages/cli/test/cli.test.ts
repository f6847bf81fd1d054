import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runWeft } from "./run-weft.js";

const tmp = () => mkdtempSync(join(tmpdir(), "weft-cli-"));

describe("CLI contract (DESIGN §2)", () => {
  it("prints help and version, exit 0", async () => {
    const help = await runWeft(["--help"], { cwd: tmp() });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: weft <command>");
    expect(help.stdout).toContain("init");
    expect((await runWeft(["--version"], { cwd: tmp() })).stdout).toBe("0.0.0-test\n");
    const cmdHelp = await runWeft(["init", "--help"], { cwd: tmp() });
    expect(cmdHelp.stdout).toContain("--example");
  });

  it("unknown commands and flags exit 2 with one line and a hint, never a stack", async () => {
    const r = await runWeft(["inti"], { cwd: tmp() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean 'weft init'");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const f = await runWeft(["init", "--exmaple"], { cwd: tmp() });
    expect(f.code).toBe(2);
    expect(f.stderr).toContain("did you mean '--example'");
    const cwd = await runWeft(["init", "--cwd", "/nonexistent/dir"], { cwd: tmp() });
    expect(cwd.code).toBe(2);
    const json = await runWeft(["init", "--bad", "--json"], { cwd: tmp() });
    expect(JSON.parse(json.stdout).error.code).toBe("CLI_USAGE");
  });

  it("init creates the layout, never overwrites, and ignores weft's folders in git", async () => {
    const dir = tmp();
    const r = await runWeft(["init"], { cwd: dir });
    expect(r.code).toBe(0);
    for (const p of ["tasks", "capabilities", ".state", "weft.config.json"])
      expect(existsSync(join(dir, p)), p).toBe(true);
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toContain(".state/");
    const again = await runWeft(["init", "--json"], { cwd: dir });
    expect(JSON.parse(again.stdout).skipped).toContain("weft.config.json");
  });
});
